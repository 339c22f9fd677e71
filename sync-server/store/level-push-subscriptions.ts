/**
 * Push devices in LevelDB (push-subscriptions.ts): records under
 * `userId!subscriptionId`, and an index subscription id → person, so a
 * device moves from one account to the next.
 */
import { storedLocale } from '../i18n/push-texts.js';
import type { Database } from './database.js';
import { KEY_SEPARATOR, compositeKey, keyPrefix, prefixRange } from './keys.js';
import type { PushSubscriptionStore, SubscriptionRecord } from './push-subscriptions.js';

/** Records stored before `locale` existed have none: they read as English. */
function withLocale(record: SubscriptionRecord): SubscriptionRecord {
  return { ...record, locale: storedLocale(record.locale) };
}

export class LevelPushSubscriptionStore implements PushSubscriptionStore {
  private readonly records;
  /** subscription id → user id: one account per device. */
  private readonly owners;

  constructor(db: Database) {
    this.records = db.root.sublevel<string, SubscriptionRecord>('pushSubscriptions', { valueEncoding: 'json' });
    this.owners = db.root.sublevel<string, string>('pushEndpoints', { valueEncoding: 'json' });
  }

  async put(record: SubscriptionRecord): Promise<void> {
    const previousOwner = await this.owners.get(record.id);
    if (previousOwner !== undefined && previousOwner !== record.userId) await this.remove(previousOwner, record.id);
    await this.records.put(compositeKey(record.userId, record.id), record);
    await this.owners.put(record.id, record.userId);
  }

  async get(userId: string, id: string): Promise<SubscriptionRecord | undefined> {
    const record = await this.records.get(compositeKey(userId, id));
    return record && withLocale(record);
  }

  async ofUser(userId: string): Promise<SubscriptionRecord[]> {
    return (await this.records.values(prefixRange(keyPrefix(userId))).all()).map(withLocale);
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.records.del(compositeKey(userId, id));
    if ((await this.owners.get(id)) === userId) await this.owners.del(id);
  }

  async usersWithDevices(): Promise<string[]> {
    const users = new Set<string>();
    for await (const key of this.records.keys()) users.add(key.slice(0, key.indexOf(KEY_SEPARATOR)));
    return [...users];
  }
}
