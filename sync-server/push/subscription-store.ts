/**
 * Devices that receive pushes: one record per browser subscription, owned
 * by the person and the session that made it (sign-out removes the
 * session's). The record id is a hash of the endpoint, so a device
 * subscribing again replaces its record, and a device moves from one account
 * to the next. Stored in LevelDB or PostgreSQL (store/push-subscriptions.ts).
 */
import { createHash } from 'node:crypto';
import type { PushSubscriptionRequest } from '../../shared/push-api.js';
import type { Logger } from '../config.js';
import type { ServerLocale } from '../i18n/request-locale.js';
import type { PushSubscriptionStore, SubscriptionRecord } from '../store/push-subscriptions.js';

export type { SubscriptionRecord } from '../store/push-subscriptions.js';

/** After a failed read of who has devices, how long before the next try. */
const STALE_RETRY_MS = 5000;

/** The record id of an endpoint. */
export function subscriptionIdOf(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('base64url').slice(0, 22);
}

export class SubscriptionStore {
  /** People with at least one device, in memory, so a message to a big group reads the store only for them. */
  private withDevices = new Set<string>();
  private refreshedAt = 0;
  /** The last read of who has devices failed: read again after STALE_RETRY_MS, whatever `recheckMs` says. */
  private stale = false;
  private refreshing: Promise<void> | null = null;

  private constructor(
    private readonly records: PushSubscriptionStore,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /**
   * Opens the store and learns who has devices. A store that cannot answer
   * (a damaged LevelDB block, PostgreSQL away) does not stop the server:
   * the error is logged and the question asked again at the next push.
   */
  static async open(records: PushSubscriptionStore, log: Logger, now: () => number = Date.now): Promise<SubscriptionStore> {
    const store = new SubscriptionStore(records, log, now);
    await store.refresh();
    return store;
  }

  /**
   * Keeps a device's subscription for this person and session, with the
   * language its pushes speak; past `perUser` devices, the oldest goes.
   * Returns the record.
   */
  async put(
    userId: string,
    sessionId: string,
    subscription: PushSubscriptionRequest,
    perUser: number,
    locale: ServerLocale,
    now = Date.now(),
  ): Promise<SubscriptionRecord> {
    const id = subscriptionIdOf(subscription.endpoint);
    const { endpoint, keys } = subscription;
    const record: SubscriptionRecord = { id, userId, sessionId, endpoint, keys, createdAt: now, locale };
    await this.records.put(record);
    const all = await this.ofUser(userId);
    const excess = all.sort((a, b) => a.createdAt - b.createdAt).slice(0, Math.max(0, all.length - perUser));
    for (const old of excess) await this.remove(userId, old.id);
    this.withDevices.add(userId);
    return record;
  }

  async ofUser(userId: string): Promise<SubscriptionRecord[]> {
    return this.records.ofUser(userId);
  }

  /**
   * Whether the person has a device with notifications (answered from
   * memory). When other relays add devices too (a cluster), the memory is
   * refreshed in the background every `recheckMs`: a device added elsewhere
   * is known here within that.
   */
  hasDevicesNow(userId: string): boolean {
    const every = this.stale ? STALE_RETRY_MS : this.records.recheckMs;
    if (every !== undefined && this.now() - this.refreshedAt >= every) void this.refresh();
    return this.withDevices.has(userId);
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.records.remove(userId, id);
    if ((await this.ofUser(userId)).length === 0) this.withDevices.delete(userId);
  }

  /** Removes the person's device with this endpoint; false when there was none. */
  async removeEndpoint(userId: string, endpoint: string): Promise<boolean> {
    const id = subscriptionIdOf(endpoint);
    if (!(await this.records.get(userId, id))) return false;
    await this.remove(userId, id);
    return true;
  }

  /** Removes what a session subscribed (sign-out); returns how many. */
  async removeSession(userId: string, sessionId: string): Promise<number> {
    const gone = (await this.ofUser(userId)).filter((record) => record.sessionId === sessionId);
    for (const record of gone) await this.remove(userId, record.id);
    return gone.length;
  }

  /** Reads who has devices again (one at a time); a failed read keeps the old answer until the next try. */
  private refresh(): Promise<void> {
    this.refreshedAt = this.now();
    this.refreshing ??= this.records
      .usersWithDevices()
      .then(
        (users) => {
          this.withDevices = new Set(users);
          this.stale = false;
        },
        (error: unknown) => {
          if (!this.stale) this.log.error('reading who has push devices failed; the last answer stands', { error: String(error) });
          this.stale = true;
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
