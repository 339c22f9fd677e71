/**
 * The one mail reader of our tests (server and e2e): without SMTP_URL the
 * server writes each mail to DATA_DIR/outbox as `<time>-<address>.eml`;
 * this reads them back, parsed, and finds the links people follow.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Every outbox mail to `email` in `dataDir`, oldest first. */
export async function outboxMailsTo(dataDir: string, email: string): Promise<ParsedMail[]> {
  const outbox = path.join(dataDir, 'outbox');
  const files = (await readdir(outbox)).filter((file) => file.endsWith(`-${email}.eml`)).sort();
  return Promise.all(files.map(async (file) => simpleParser(await readFile(path.join(outbox, file)))));
}

/** The `…/<page>?token=…` link (page e.g. 'activate', 'reset') in a mail's text, with any further parameters (`&join=…`). */
export function linkInMail(mailText: string, page: string): string {
  const match = new RegExp(`https?://[^\\s"<>]+/${page}\\?token=[A-Za-z0-9%]+(?:&[a-z]+=[A-Za-z0-9%]+)*`).exec(mailText);
  if (!match) throw new Error(`no /${page} link in the mail`);
  return match[0];
}

/** The `/<page>` link in the newest outbox mail to `email`. */
export async function linkFromOutbox(dataDir: string, email: string, page: string): Promise<string> {
  const newest = (await outboxMailsTo(dataDir, email)).at(-1);
  if (!newest) throw new Error(`no mail to ${email} in ${path.join(dataDir, 'outbox')}`);
  return linkInMail(newest.text ?? '', page);
}

/** The token a mailed link carries. */
export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}
