/**
 * Outgoing mail through nodemailer: over SMTP when SMTP_URL is set,
 * otherwise each mail is written as an .eml file into DATA_DIR/outbox so a
 * newcomer can activate an account with no mail server at all.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one link the mail is about; logged when mail goes to the outbox. */
  link?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(options: { smtpUrl?: string; from: string; outboxDir: string; log: Logger }): Mailer {
  return options.smtpUrl
    ? new SmtpMailer(nodemailer.createTransport(options.smtpUrl), options.from)
    : new OutboxMailer(options.outboxDir, options.from, options.log);
}

class SmtpMailer implements Mailer {
  constructor(
    private readonly transport: Transporter,
    private readonly from: string,
  ) {}

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  }

  close(): void {
    this.transport.close();
  }
}

class OutboxMailer implements Mailer {
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  private sequence = 0;

  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly log: Logger,
  ) {}

  async send(mail: Mail): Promise<void> {
    const info = await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    await mkdir(this.dir, { recursive: true });
    const safeRecipient = mail.to.replace(/[^A-Za-z0-9@._-]/g, '_');
    const file = path.join(this.dir, `${Date.now()}-${++this.sequence}-${safeRecipient}.eml`);
    await writeFile(file, info.message as Buffer);
    this.log.info(`mail to ${mail.to} written to ${file}`, mail.link ? { link: mail.link } : undefined);
  }

  close(): void {
    this.transport.close();
  }
}
