/**
 * Reminders the robot promised: stored in LevelDB (so they survive
 * restarts) and delivered as robot messages when due, whether or not the
 * person is online then. Delivery is idempotent: the message id is made
 * from the reminder id, so a crash between writing and forgetting it
 * cannot deliver twice.
 */
import { convDocName } from '../../shared/doc-names.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { messagesOf, type Message } from '../../shared/schema.js';
import { generateId } from '../ids/random-ids.js';
import type { Logger } from '../config.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { Database, ReminderRecord } from '../store/database.js';
import { compositeKey, keyPrefix, throughPrefix } from '../store/keys.js';

/** setTimeout cannot wait longer than about 24.8 days; we re-check at least hourly. */
const MAX_WAIT_MS = 3600_000;

function key(reminder: ReminderRecord): string {
  return compositeKey(String(reminder.dueAt).padStart(15, '0'), reminder.id);
}

export function reminderMessageId(reminder: Pick<ReminderRecord, 'id' | 'dueAt'>): string {
  return `${reminder.dueAt.toString(36).padStart(9, '0')}-${reminder.id.slice(0, 12)}`;
}

export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** After a failed delivery, wait before trying again instead of spinning. */
  private retryDelayMs = 0;

  constructor(
    private readonly db: Database,
    private readonly registry: DocRegistry,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async add(conversationId: string, userId: string, text: string, dueAt: number): Promise<ReminderRecord> {
    const reminder: ReminderRecord = { id: generateId(), conversationId, userId, text, dueAt };
    await this.db.reminders.put(key(reminder), reminder);
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
    const due = await this.db.reminders.values({ ...throughPrefix(keyPrefix(String(this.now()).padStart(15, '0'))), limit: 100 }).all();
    for (const reminder of due) {
      try {
        await this.deliver(reminder);
        await this.db.reminders.del(key(reminder));
        delivered++;
      } catch (error) {
        this.log.error('delivering a reminder failed; will retry', { reminder: reminder.id, error: String(error) });
        this.retryDelayMs = 5000;
      }
    }
    return delivered;
  }

  private async deliver(reminder: ReminderRecord): Promise<void> {
    const id = reminderMessageId(reminder);
    const message: Message = { id, author: ROBOT_USER_ID, kind: 'text', text: reminder.text, createdAt: this.now() };
    await this.registry.change(convDocName(reminder.conversationId), (doc) => {
      if (!messagesOf(doc).has(id)) messagesOf(doc).set(id, message);
    });
  }

  private schedule(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.db.reminders
      .values({ limit: 1 })
      .all()
      .then(([next]) => {
        if (this.stopped || !next) return;
        const wait = Math.min(Math.max(this.retryDelayMs, next.dueAt - this.now()), MAX_WAIT_MS);
        this.timer = setTimeout(() => this.run(), wait);
        this.timer.unref();
      })
      .catch((error: unknown) => this.log.error('reading reminders failed', { error: String(error) }));
  }

  private run(): void {
    this.timer = null;
    this.running = this.deliverDue()
      .then(() => undefined)
      .finally(() => {
        this.running = null;
        this.schedule();
      });
  }
}
