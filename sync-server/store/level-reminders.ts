/**
 * Reminders in LevelDB (reminders.ts), keyed `<zero-padded dueAt>!<id>` so the
 * next due ones are the first keys. One process owns the directory, so
 * claims are kept in its memory: a restart forgets them, which is what an
 * expired claim means anyway.
 */
import type { Database, ReminderRecord } from './database.js';
import { compositeKey, keyPrefix, throughPrefix } from './keys.js';
import type { ReminderStore } from './reminders.js';

const DUE_WIDTH = 15;

function keyOf(reminder: Pick<ReminderRecord, 'id' | 'dueAt'>): string {
  return compositeKey(String(reminder.dueAt).padStart(DUE_WIDTH, '0'), reminder.id);
}

export class LevelReminderStore implements ReminderStore {
  /** Reminder id → when its claim ends. */
  private readonly claims = new Map<string, number>();
  /** Reminder id → its key, for those claimed (remove and release know only the id). */
  private readonly keys = new Map<string, string>();

  constructor(private readonly db: Database) {}

  async add(reminder: ReminderRecord): Promise<void> {
    await this.db.reminders.put(keyOf(reminder), reminder);
  }

  async claimDue(now: number, limit: number, claimMs: number): Promise<ReminderRecord[]> {
    const claimed: ReminderRecord[] = [];
    const due = this.db.reminders.values(throughPrefix(keyPrefix(String(now).padStart(DUE_WIDTH, '0'))));
    for await (const reminder of due) {
      if ((this.claims.get(reminder.id) ?? 0) > now) continue;
      this.claims.set(reminder.id, now + claimMs);
      this.keys.set(reminder.id, keyOf(reminder));
      claimed.push(reminder);
      if (claimed.length >= limit) break;
    }
    return claimed;
  }

  async release(id: string): Promise<void> {
    this.claims.delete(id);
  }

  async remove(id: string): Promise<void> {
    const key = this.keys.get(id) ?? (await this.findKey(id));
    if (key !== undefined) await this.db.reminders.del(key);
    this.claims.delete(id);
    this.keys.delete(id);
  }

  async nextDueAt(): Promise<number | undefined> {
    const [next] = await this.db.reminders.values({ limit: 1 }).all();
    return next?.dueAt;
  }

  /** The key of a reminder that was never claimed in this process (a scan: rare, and reminders are few). */
  private async findKey(id: string): Promise<string | undefined> {
    for await (const [key, reminder] of this.db.reminders.iterator()) if (reminder.id === id) return key;
    return undefined;
  }
}
