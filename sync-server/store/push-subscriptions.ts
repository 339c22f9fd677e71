/**
 * Devices that receive pushes (push/subscription-store.ts holds the rules:
 * devices per person, sign-out): the calls it makes of the store. A record's
 * id is a hash of its endpoint, so one device has one record, owned by one
 * person. `LevelPushSubscriptionStore` (level-push-subscriptions.ts) is the
 * embedded one, `PostgresPushSubscriptionStore` (postgres/postgres-push-subscriptions.ts)
 * the cluster's; both pass push-subscriptions.contract.ts.
 */
import type { ServerLocale } from '../i18n/request-locale.js';

export interface SubscriptionRecord {
  id: string;
  userId: string;
  sessionId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  createdAt: number;
  /**
   * The language of the request that subscribed the device (its
   * Accept-Language): pushes are sent outside any request, so this is how
   * they speak the device's language. Records from before it read as 'en'.
   */
  locale: ServerLocale;
}

export interface PushSubscriptionStore {
  /**
   * How often a cache of who has devices should be refreshed, because other
   * processes add devices too; undefined when this process is the only writer.
   */
  readonly recheckMs?: number;
  /** Stores the device for its person, replacing their earlier record of it; a device another person had moves to this one. */
  put(record: SubscriptionRecord): Promise<void>;
  get(userId: string, id: string): Promise<SubscriptionRecord | undefined>;
  ofUser(userId: string): Promise<SubscriptionRecord[]>;
  remove(userId: string, id: string): Promise<void>;
  /** Ids of the people with at least one device. */
  usersWithDevices(): Promise<string[]>;
}
