/**
 * Who may see whose presence (issue 15, docs/SECURITY.md "Presence"), as
 * WhatsApp does it: a person sees the online state and last seen of their
 * current friends only; a friend who chose "nobody" is left out entirely;
 * and a person who chose "nobody" is told nothing about anyone. Nothing
 * about a hidden person leaves the server, not even that they hide.
 */
import type { LastSeenAudience, PresenceAnswer, PresenceOf } from '../../shared/presence-api.js';
import type { FriendStore } from '../store/friends.js';
import type { LastSeenRecord, LastSeenStore } from '../store/last-seen.js';
import { ONLINE_REFRESH_MS } from './last-seen-participant.js';

/** An "online" not renewed for this long is from a relay that died: shown as last seen then. */
export const ONLINE_TRUSTED_MS = 3 * ONLINE_REFRESH_MS;

export class PresenceService {
  constructor(
    private readonly store: LastSeenStore,
    private readonly friends: FriendStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The viewer's setting and the presence of the friends they may see. */
  async presenceFor(viewerId: string): Promise<PresenceAnswer> {
    const own = (await this.store.recordsOf([viewerId])).get(viewerId);
    if (own?.hidden) return { lastSeen: 'nobody', people: {} };
    const friendIds = [...(await this.friends.friendsOf(viewerId)).keys()];
    const records = await this.store.recordsOf(friendIds);
    const people: Record<string, PresenceOf> = {};
    for (const [userId, record] of records) {
      const shown = this.shown(record);
      if (shown) people[userId] = shown;
    }
    return { lastSeen: 'friends', people };
  }

  async setLastSeenAudience(userId: string, audience: LastSeenAudience): Promise<LastSeenAudience> {
    await this.store.setHidden(userId, audience === 'nobody');
    return audience;
  }

  private shown(record: LastSeenRecord): PresenceOf | undefined {
    // A hidden person, or one who hid before ever being seen (seenAt 0), says nothing.
    if (record.hidden || record.seenAt === 0) return undefined;
    if (record.online && this.now() - record.seenAt < ONLINE_TRUSTED_MS) return { online: true };
    return { online: false, lastSeenAt: record.seenAt };
  }
}
