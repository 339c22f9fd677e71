/** The unread digest mail (docs/PUSH.md, "Mail digest"). Every interpolated value is escaped for HTML. */
import type { Mail } from '../mail/mailer.js';

export interface DigestLine {
  /** The conversation as the person sees it (a group's name, or the other person's). */
  title: string;
  count: number;
  /** Who wrote the unread messages (a few names). */
  from: string[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function describe(line: DigestLine): string {
  const messages = line.count === 1 ? '1 new message' : `${line.count} new messages`;
  return line.from.length > 0 ? `${line.title}: ${messages} from ${line.from.join(', ')}` : `${line.title}: ${messages}`;
}

/** Lists what waits for the person, with a link to the app; never the messages' text (mail is not end-to-end). */
export function unreadDigestMail(to: string, name: string, lines: DigestLine[], appUrl: string): Mail {
  const total = lines.reduce((sum, line) => sum + line.count, 0);
  const subject = total === 1 ? 'You have 1 unread message on Happy Chat' : `You have ${total} unread messages on Happy Chat`;
  const list = lines.map(describe);
  return {
    to,
    subject,
    link: appUrl,
    text: `Hello ${name},\n\nwhile you were away:\n\n${list.map((l) => `- ${l}`).join('\n')}\n\nRead them at ${appUrl}\n\nYou get this mail because you turned on "Email me what I missed" in Happy Chat; turn it off in My profile.\n`,
    html: `<p>Hello ${escapeHtml(name)},</p><p>while you were away:</p><ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul><p><a href="${escapeHtml(appUrl)}">Read them in Happy Chat</a></p><p>You get this mail because you turned on "Email me what I missed" in Happy Chat; turn it off in My profile.</p>`,
  };
}
