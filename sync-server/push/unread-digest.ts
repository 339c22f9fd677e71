/**
 * The optional mail digest: for a person who turned it on, messages that
 * stay unread for their chosen time (1 hour, 8 hours, a day) are mailed as
 * one list per away period — which conversations, how many, from whom.
 * The notifier reports what becomes unread and what gets read (the same
 * rules as pushes: nothing while viewing, muted conversations only for a
 * mention); a check every `checkMs` mails the due ones. Stored per person
 * in a DigestRecordStore (since when, and per conversation), so a restart
 * keeps it and, in a cluster, every relay adds to the same record. Every
 * relay checks; each due record is taken by one of them before it is mailed
 * (a relay dying between taking and mailing loses that one mail: at most
 * once, never twice). The mail speaks the language stored with the person's
 * notification settings.
 */
import type { Logger } from '../config.js';
import type { Mailer } from '../mail/mailer.js';
import type { DigestLine, DigestRecord, DigestRecordStore } from '../store/digest-records.js';
import type { UserStore } from '../store/users.js';
import { unreadDigestMail } from './digest-mail.js';
import type { PushPreferences } from './push-preferences.js';

/** Names of writers listed per conversation. */
const MAX_NAMES = 3;

/** A record taken for mailing and then kept (the mail failed, or it was not due yet), under what arrived meanwhile. */
function putBack(taken: DigestRecord, current: DigestRecord | undefined): DigestRecord {
  if (!current) return taken;
  return { since: Math.min(taken.since, current.since), conversations: { ...taken.conversations, ...current.conversations } };
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
  private timer: NodeJS.Timeout | null = null;
  /** This relay's changes are applied in the order they were made (the store makes each atomic across relays). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    private readonly records: DigestRecordStore,
    private readonly deps: UnreadDigestDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** A conversation now has `line.count` unread messages for the person. */
  noteUnread(userId: string, conversationId: string, line: DigestLine): Promise<void> {
    return this.serially(() =>
      this.records.update(userId, (stored) => {
        const record = stored ?? { since: this.now(), conversations: {} };
        const previous = record.conversations[conversationId];
        const from = [...new Set([...(previous?.from ?? []), ...line.from])].slice(0, MAX_NAMES);
        record.conversations[conversationId] = { title: line.title, count: line.count, from };
        return record;
      }),
    );
  }

  /** The person's unread count in a conversation changed by reading it. */
  noteRead(userId: string, conversationId: string, count: number): Promise<void> {
    return this.serially(() =>
      this.records.update(userId, (record) => {
        const line = record?.conversations[conversationId];
        if (!record || !line) return record;
        if (count > 0) line.count = count;
        else delete record.conversations[conversationId];
        return Object.keys(record.conversations).length === 0 ? undefined : record;
      }),
    );
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

  /** Mails every digest that is due at `now`; returns how many this relay sent. */
  mailDue(now = this.now()): Promise<number> {
    return this.serially(async () => {
      let sent = 0;
      for (const { userId, since } of await this.records.waiting()) {
        // Asked of the store, not this relay's memory: the person may have changed it through another relay.
        const after = await this.deps.preferences.digestAfter(userId);
        if (after !== undefined && now < since + after * 60_000) continue;
        const taken = await this.records.take(userId);
        // Another relay took it first, or it is no longer wanted.
        if (!taken || after === undefined) continue;
        if (now < taken.since + after * 60_000) {
          // Replaced since it was listed by a newer one (another relay mailed the old): not due yet.
          await this.records.update(userId, (current) => putBack(taken, current));
          continue;
        }
        if (await this.mail(userId, taken)) sent++;
      }
      return sent;
    });
  }

  /** Mails a taken record; a failed mail puts it back for the next check. */
  private async mail(userId: string, taken: DigestRecord): Promise<boolean> {
    const user = await this.deps.users.byId(userId);
    const lines = Object.values(taken.conversations).filter((line) => line.count > 0);
    if (!user?.activated || user.guestOf || lines.length === 0) return false;
    try {
      const locale = await this.deps.preferences.localeOf(userId);
      await this.deps.mailer.send(unreadDigestMail(user.email, user.name, lines, this.deps.appUrl(), locale));
      return true;
    } catch (error) {
      this.deps.log.warn('digest mail failed; kept for the next check', { user: userId, error: String(error) });
      await this.records.update(userId, (current) => putBack(taken, current));
      return false;
    }
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
