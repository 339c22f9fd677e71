/**
 * The presence rules against real stores (LevelDB in a temp dir), at times
 * the HTTP tests cannot wait for: an "online" the relay stopped renewing
 * (it died, so nobody wrote "offline") is shown as last seen.
 */
import { describe, expect, it } from 'vitest';
import { LevelFriendStore } from '../store/level-friends.js';
import { LevelLastSeenStore } from '../store/level-last-seen.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { ONLINE_TRUSTED_MS, PresenceService } from './presence-service.js';

const level = useTestDatabase();

describe('PresenceService', () => {
  it('trusts an online mark only while the relay renews it', async () => {
    const friends = new LevelFriendStore(level.db);
    await friends.acceptRequest({ id: 'r1', from: 'ada', to: 'bob', note: '', createdAt: 0 }, 0);
    const lastSeen = new LevelLastSeenStore(level.db);
    await lastSeen.markSeen('bob', true, 1_000);
    let now = 1_000 + ONLINE_TRUSTED_MS - 1;
    const service = new PresenceService(lastSeen, friends, () => now);
    expect((await service.presenceFor('ada')).people).toEqual({ bob: { online: true } });
    now = 1_000 + ONLINE_TRUSTED_MS;
    expect((await service.presenceFor('ada')).people).toEqual({ bob: { online: false, lastSeenAt: 1_000 } });
  });

  it('says nothing of a person who hid before they were ever seen', async () => {
    const friends = new LevelFriendStore(level.db);
    await friends.acceptRequest({ id: 'r1', from: 'ada', to: 'bob', note: '', createdAt: 0 }, 0);
    const lastSeen = new LevelLastSeenStore(level.db);
    const service = new PresenceService(lastSeen, friends);
    await service.setLastSeenAudience('bob', 'nobody');
    await service.setLastSeenAudience('bob', 'friends');
    // Unhidden again but never seen: no made-up "last seen 1970".
    expect((await service.presenceFor('ada')).people).toEqual({});
  });
});
