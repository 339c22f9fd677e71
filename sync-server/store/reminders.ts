/**
 * Reminders the robot promised (robot/reminders.ts delivers them): the
 * calls the scheduler makes of the store. A due reminder is claimed for a
 * while before it is delivered, so that of several relays due at once only
 * one delivers it; a claim that outlives its relay (a crash) expires and
 * another relay delivers (the message id is made from the reminder, so a
 * second delivery changes nothing). `LevelReminderStore` (level-reminders.ts)
 * is the embedded one, `PostgresReminderStore` (postgres/postgres-reminders.ts)
 * the cluster's; both pass reminders.contract.ts.
 */
import type { ReminderRecord } from './database.js';

export interface ReminderStore {
  /**
   * How often a scheduler looks again when nothing is due sooner, because
   * other processes add reminders it is not told about (and take over a
   * crashed one's); undefined when this process is the only one adding.
   */
  readonly recheckMs?: number;
  add(reminder: ReminderRecord): Promise<void>;
  /**
   * Up to `limit` reminders due by `now` that nobody holds a claim on, each
   * now claimed until `now + claimMs`, earliest first; parallel claims (on any
   * relays) never get the same reminder.
   */
  claimDue(now: number, limit: number, claimMs: number): Promise<ReminderRecord[]>;
  /** Ends the claim on a reminder that could not be delivered, so the next run tries again. */
  release(id: string): Promise<void>;
  /** Forgets a delivered reminder. */
  remove(id: string): Promise<void>;
  /** When the earliest reminder is due (claimed ones included); undefined when there is none. */
  nextDueAt(): Promise<number | undefined>;
}
