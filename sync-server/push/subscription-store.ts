/**
 * Devices that receive pushes: one record per browser subscription, owned
 * by the person and the session that made it (sign-out removes the
 * session's). Keys are `userId!subscriptionId`, where the id is a hash of
 * the endpoint, so a device subscribing again replaces its record, and an
 * endpoint index moves a device from one account to the next.
 */
import { createHash } from 'node:crypto';
import type { PushSubscriptionRequest } from '../../shared/push-api.js';
import type { Database } from '../store/database.js';
import { KEY_SEPARATOR as SEP, compositeKey, keyPrefix, prefixRange } from '../store/keys.js';

export interface SubscriptionRecord {
  id: string;
  userId: string;
  sessionId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  createdAt: number;
}

/** The record id of an endpoint. */
export function subscriptionIdOf(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('base64url').slice(0, 22);
}

export class SubscriptionStore {
  private readonly records;
  /** subscription id → user id: one account per device. */
  private readonly owners;
  /** People with at least one device, in memory, so a message to a big group reads the store only for them. */
  private readonly withDevices = new Set<string>();

  private constructor(db: Database) {
    this.records = db.root.sublevel<string, SubscriptionRecord>('pushSubscriptions', { valueEncoding: 'json' });
    this.owners = db.root.sublevel<string, string>('pushEndpoints', { valueEncoding: 'json' });
  }

  /** Opens the store and learns who has devices. */
  static async open(db: Database): Promise<SubscriptionStore> {
    const store = new SubscriptionStore(db);
    for await (const key of store.records.keys()) store.withDevices.add(key.slice(0, key.indexOf(SEP)));
    return store;
  }

  /**
   * Keeps a device's subscription for this person and session; past `perUser`
   * devices, the oldest goes. Returns the record.
   */
  async put(
    userId: string,
    sessionId: string,
    subscription: PushSubscriptionRequest,
    perUser: number,
    now = Date.now(),
  ): Promise<SubscriptionRecord> {
    const id = subscriptionIdOf(subscription.endpoint);
    const previousOwner = await this.owners.get(id);
    if (previousOwner !== undefined && previousOwner !== userId) await this.remove(previousOwner, id);
    const record: SubscriptionRecord = { id, userId, sessionId, endpoint: subscription.endpoint, keys: subscription.keys, createdAt: now };
    await this.records.put(compositeKey(userId, id), record);
    await this.owners.put(id, userId);
    const all = await this.ofUser(userId);
    const excess = all.sort((a, b) => a.createdAt - b.createdAt).slice(0, Math.max(0, all.length - perUser));
    for (const old of excess) await this.remove(userId, old.id);
    this.withDevices.add(userId);
    return record;
  }

  async ofUser(userId: string): Promise<SubscriptionRecord[]> {
    const prefix = keyPrefix(userId);
    return this.records.values(prefixRange(prefix)).all();
  }

  /** Whether the person has a device with notifications (answered from memory). */
  hasDevicesNow(userId: string): boolean {
    return this.withDevices.has(userId);
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.records.del(compositeKey(userId, id));
    if ((await this.owners.get(id)) === userId) await this.owners.del(id);
    if ((await this.ofUser(userId)).length === 0) this.withDevices.delete(userId);
  }

  /** Removes the person's device with this endpoint; false when there was none. */
  async removeEndpoint(userId: string, endpoint: string): Promise<boolean> {
    const id = subscriptionIdOf(endpoint);
    if (!(await this.records.get(compositeKey(userId, id)))) return false;
    await this.remove(userId, id);
    return true;
  }

  /** Removes what a session subscribed (sign-out); returns how many. */
  async removeSession(userId: string, sessionId: string): Promise<number> {
    const gone = (await this.ofUser(userId)).filter((record) => record.sessionId === sessionId);
    for (const record of gone) await this.remove(userId, record.id);
    return gone.length;
  }
}
