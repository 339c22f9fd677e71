/**
 * The unread digest mail (docs/PUSH.md, "Mail digest"), in the language of
 * the person's last notification settings change (sync-server/i18n/push-texts.ts).
 * Every interpolated value is escaped for HTML.
 */
import { digestWords } from '../i18n/push-texts.js';
import type { ServerLocale } from '../i18n/request-locale.js';
import type { Mail } from '../mail/mailer.js';
import type { DigestLine } from '../store/digest-records.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Lists what waits for the person, with a link to the app; never the messages' text (mail is not end-to-end). */
export function unreadDigestMail(to: string, name: string, lines: DigestLine[], appUrl: string, locale: ServerLocale): Mail {
  const words = digestWords(locale);
  const total = lines.reduce((sum, line) => sum + line.count, 0);
  const list = lines.map((line) => words.line(line.title, line.count, line.from));
  return {
    to,
    subject: words.subject(total),
    link: appUrl,
    text: `${words.hello(name)}\n\n${words.whileAway}\n\n${list.map((l) => `- ${l}`).join('\n')}\n\n${words.readAt(appUrl)}\n\n${words.why}\n`,
    html: `<p>${escapeHtml(words.hello(name))}</p><p>${escapeHtml(words.whileAway)}</p><ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul><p><a href="${escapeHtml(appUrl)}">${escapeHtml(words.readLink)}</a></p><p>${escapeHtml(words.why)}</p>`,
  };
}
