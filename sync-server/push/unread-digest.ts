/**
 * The optional mail digest: for a person who turned it on, messages that
 * stay unread for their chosen time (1 hour, 8 hours, a day) are mailed as
 * one list per away period — which conversations, how many, from whom.
 * The notifier reports what becomes unread and what gets read (the same
 * rules as pushes: nothing while viewing, muted conversations only for a
 * mention); a check every `checkMs` mails the due ones. Stored per person
 * (`pushDigest`: since when, and per conversation), so a restart keeps it.
 * The mail speaks the language stored with the person's notification settings.
 */
import type { Logger } from '../config.js';
import type { Mailer } from '../mail/mailer.js';
import type { Database } from '../store/database.js';
import type { UserStore } from '../store/users.js';
import { unreadDigestMail, type DigestLine } from './digest-mail.js';
import type { PushPreferences } from './push-preferences.js';

/** Names of writers listed per conversation. */
const MAX_NAMES = 3;

interface DigestRecord {
  /** When the oldest message still waiting became unread. */
  since: number;
  conversations: Record<string, DigestLine>;
}

export interface UnreadDigestDeps {
  preferences: PushPreferences;
  users: UserStore;
  mailer: Mailer;
  appUrl: () => string;
  checkMs: number;
  log: Logger;
  now?: () => number;
}

export class UnreadDigest {
  private readonly records;
  private timer: NodeJS.Timeout | null = null;
  /** Changes are applied one at a time: each reads and rewrites a person's record. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    db: Database,
    private readonly deps: UnreadDigestDeps,
  ) {
    this.records = db.root.sublevel<string, DigestRecord>('pushDigest', { valueEncoding: 'json' });
    this.now = deps.now ?? Date.now;
  }

  /** A conversation now has `line.count` unread messages for the person. */
  noteUnread(userId: string, conversationId: string, line: DigestLine): Promise<void> {
    return this.serially(async () => {
      const record = (await this.records.get(userId)) ?? { since: this.now(), conversations: {} };
      const previous = record.conversations[conversationId];
      const from = [...new Set([...(previous?.from ?? []), ...line.from])].slice(0, MAX_NAMES);
      record.conversations[conversationId] = { title: line.title, count: line.count, from };
      await this.records.put(userId, record);
    });
  }

  /** The person's unread count in a conversation changed by reading it. */
  noteRead(userId: string, conversationId: string, count: number): Promise<void> {
    return this.serially(async () => {
      const record = await this.records.get(userId);
      const line = record?.conversations[conversationId];
      if (!record || !line) return;
      if (count > 0) line.count = count;
      else delete record.conversations[conversationId];
      if (Object.keys(record.conversations).length === 0) await this.records.del(userId);
      else await this.records.put(userId, record);
    });
  }

  start(): void {
    this.timer ??= setInterval(
      () => void this.mailDue().catch((error: unknown) => this.deps.log.error('digest check failed', { error: String(error) })),
      this.deps.checkMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Mails every digest that is due at `now`; returns how many were sent. */
  mailDue(now = this.now()): Promise<number> {
    return this.serially(async () => {
      let sent = 0;
      for await (const [userId, record] of this.records.iterator()) {
        const after = this.deps.preferences.digestAfterNow(userId);
        if (after === undefined) {
          await this.records.del(userId);
          continue;
        }
        if (now < record.since + after * 60_000) continue;
        const user = await this.deps.users.byId(userId);
        const lines = Object.values(record.conversations).filter((line) => line.count > 0);
        if (user?.activated && !user.guestOf && lines.length > 0) {
          try {
            const locale = await this.deps.preferences.localeOf(userId);
            await this.deps.mailer.send(unreadDigestMail(user.email, user.name, lines, this.deps.appUrl(), locale));
            sent++;
          } catch (error) {
            // Kept for the next check.
            this.deps.log.warn('digest mail failed', { user: userId, error: String(error) });
            continue;
          }
        }
        await this.records.del(userId);
      }
      return sent;
    });
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
