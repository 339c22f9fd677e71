/**
 * Reminders the robot promised: stored (so they survive restarts; LevelDB, or
 * PostgreSQL in a cluster, store/reminders.ts) and delivered as robot
 * messages when due, whether or not the person is online then. A relay
 * claims the due ones before delivering, so relays due at once deliver each
 * once. Delivery is idempotent: the message id is made from the reminder id,
 * so a crash between writing and forgetting it (or an expired claim) cannot
 * deliver twice.
 */
import { createHash } from 'node:crypto';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import type { Message } from '../../shared/schema.js';
import { generateId } from '../ids/random-ids.js';
import type { Logger } from '../config.js';
import type { DocumentCommands } from '../commands/document-command.js';
import type { ReminderRecord } from '../store/database.js';
import type { ReminderStore } from '../store/reminders.js';

/** setTimeout cannot wait longer than about 24.8 days; we re-check at least hourly. */
const MAX_WAIT_MS = 3600_000;

/** How long a relay holds the reminders it claimed: far longer than a delivery takes; a crashed relay's claims end after it. */
const CLAIM_MS = 30_000;
/** When something is due but claimed by another relay, look again after this long. */
const CLAIMED_ELSEWHERE_RETRY_MS = 1000;

/**
 * The one message id a reminder is delivered under, whichever relay delivers
 * it and however often: its due time (so it sorts where it is due), then 12
 * characters of a hash of the WHOLE reminder id. Cutting the id itself would
 * give reminders whose ids share a beginning one message (100 such reminders
 * once looked like 99 lost ones, issue 11).
 */
export function reminderMessageId(reminder: Pick<ReminderRecord, 'id' | 'dueAt'>): string {
  const digest = createHash('sha256').update(reminder.id).digest();
  const tail = digest.readBigUInt64BE(0).toString(36).padStart(12, '0').slice(-12);
  return `${reminder.dueAt.toString(36).padStart(9, '0')}-${tail}`;
}

export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** After a failed delivery, wait before trying again instead of spinning. */
  private retryDelayMs = 0;

  constructor(
    private readonly store: ReminderStore,
    /** Where the reminder's message is written: the conversation's owner (commands/document-command.ts). */
    private readonly commands: DocumentCommands,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async add(conversationId: string, userId: string, text: string, dueAt: number): Promise<ReminderRecord> {
    const reminder: ReminderRecord = { id: generateId(), conversationId, userId, text, dueAt };
    await this.store.add(reminder);
    this.schedule();
    return reminder;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Delivers everything due now; resolves when done (tests call it directly). */
  async deliverDue(): Promise<number> {
    let delivered = 0;
    this.retryDelayMs = 0;
    const due = await this.store.claimDue(this.now(), 100, CLAIM_MS);
    // Nothing to claim while something is due: another relay holds it; look again soon, not in a tight loop.
    if (due.length === 0) this.retryDelayMs = CLAIMED_ELSEWHERE_RETRY_MS;
    for (const reminder of due) {
      try {
        await this.deliver(reminder);
        await this.store.remove(reminder.id);
        delivered++;
      } catch (error) {
        this.log.error('delivering a reminder failed; will retry', { reminder: reminder.id, error: String(error) });
        this.retryDelayMs = 5000;
        // Were the release lost too, the claim still ends by itself after CLAIM_MS.
        await this.store
          .release(reminder.id)
          .catch((releaseError: unknown) =>
            this.log.warn('releasing a reminder failed', { reminder: reminder.id, error: String(releaseError) }),
          );
      }
    }
    return delivered;
  }

  private async deliver(reminder: ReminderRecord): Promise<void> {
    const id = reminderMessageId(reminder);
    const message: Message = { id, author: ROBOT_USER_ID, kind: 'text', text: reminder.text, createdAt: this.now() };
    // Into the newest history segment (docs/SEGMENTS.md), where the conversation goes on; put once per message id.
    await this.commands.run({ kind: 'post-message', conversationId: reminder.conversationId, message });
  }

  private schedule(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.store
      .nextDueAt()
      .then((dueAt) => {
        if (this.stopped) return;
        // Nothing stored: only an add here wakes this process, unless others add too (recheckMs).
        if (dueAt === undefined && this.store.recheckMs === undefined) return;
        const untilDue = dueAt === undefined ? Number.POSITIVE_INFINITY : dueAt - this.now();
        const wait = Math.min(Math.max(this.retryDelayMs, untilDue), this.store.recheckMs ?? MAX_WAIT_MS);
        this.timer = setTimeout(() => this.run(), wait);
        this.timer.unref();
      })
      .catch((error: unknown) => {
        // The store is unreachable for now (PostgreSQL restarting): look again later rather than never.
        this.log.error('reading reminders failed; will retry', { error: String(error) });
        if (this.stopped) return;
        this.timer = setTimeout(() => this.schedule(), 5000);
        this.timer.unref();
      });
  }

  private run(): void {
    this.timer = null;
    this.running = this.deliverDue()
      .then(
        () => undefined,
        (error: unknown) => {
          this.log.error('claiming due reminders failed; will retry', { error: String(error) });
          this.retryDelayMs = 5000;
        },
      )
      .finally(() => {
        this.running = null;
        this.schedule();
      });
  }
}
