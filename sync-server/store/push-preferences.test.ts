/**
 * The notification choices, badge count and digest record contracts
 * (push-preferences.contract.ts, badge-counts.contract.ts,
 * digest-records.contract.ts) against LevelDB in a temp dir and a real
 * PostgreSQL, a fresh schema per test; and LevelDB reading what the relay
 * wrote before these stores existed (the same sublevels and keys).
 */
import { describe, expect, it } from 'vitest';
import { bothStores } from '../testing/both-stores.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { badgeCountStoreContract } from './badge-counts.contract.js';
import { digestRecordStoreContract } from './digest-records.contract.js';
import { LevelBadgeCountStore } from './level-badge-counts.js';
import { LevelDigestRecordStore } from './level-digest-records.js';
import { LevelPushPreferenceStore } from './level-push-preferences.js';
import { PostgresBadgeCountStore } from './postgres/postgres-badge-counts.js';
import { PostgresDigestRecordStore } from './postgres/postgres-digest-records.js';
import { PostgresPushPreferenceStore } from './postgres/postgres-push-preferences.js';
import { pushPreferenceStoreContract } from './push-preferences.contract.js';

bothStores(pushPreferenceStoreContract, {
  level: ({ db }) => new LevelPushPreferenceStore(db),
  postgres: (pool) => new PostgresPushPreferenceStore(pool),
});

bothStores(badgeCountStoreContract, {
  level: ({ db }) => new LevelBadgeCountStore(db),
  postgres: (pool) => new PostgresBadgeCountStore(pool),
});

bothStores(digestRecordStoreContract, {
  level: ({ db }) => new LevelDigestRecordStore(db),
  postgres: (pool) => new PostgresDigestRecordStore(pool),
});

describe('LevelDB push records written before the stores', () => {
  const level = useTestDatabase();

  it('are read as they were: settings, mutes, badge counts and digests under their old keys', async () => {
    // Written exactly as push/push-preferences.ts, badge-counts.ts and unread-digest.ts did (sublevel, key, JSON value).
    const root = level.db.root;
    await root
      .sublevel<string, object>('pushSettings', { valueEncoding: 'json' })
      .put('u1', { showContent: false, digestAfterMinutes: 60 });
    await root.sublevel<string, true>('pushMutes', { valueEncoding: 'json' }).put('u1!c1', true);
    await root.sublevel<string, number>('pushUnread', { valueEncoding: 'json' }).put('u1!c1', 4);
    await root.sublevel<string, number>('pushUnread', { valueEncoding: 'json' }).put('u1!c2', 1);
    const oldDigest = { since: 1000, conversations: { c1: { title: 'Ada', count: 4, from: ['Ada'] } } };
    await root.sublevel<string, object>('pushDigest', { valueEncoding: 'json' }).put('u1', oldDigest);

    const preferences = new LevelPushPreferenceStore(level.db);
    expect(await preferences.settingsOf('u1')).toEqual({ showContent: false, digestAfterMinutes: 60 });
    expect(await preferences.digestMinutes()).toEqual(new Map([['u1', 60]]));
    expect(await preferences.isMuted('u1', 'c1')).toBe(true);
    expect(await preferences.mutedOf('u1')).toEqual(['c1']);
    expect(await new LevelBadgeCountStore(level.db).total('u1')).toBe(5);
    const digests = new LevelDigestRecordStore(level.db);
    expect(await digests.waiting()).toEqual([{ userId: 'u1', since: 1000 }]);
    expect(await digests.take('u1')).toEqual(oldDigest);
  });
});
