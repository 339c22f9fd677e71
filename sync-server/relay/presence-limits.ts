/**
 * Bounds on one person's presence in one document (issue 20, item 5). One
 * person needs a presence entry per tab or device, not 300: past
 * `idsPerPerson` client ids, the presence of their further connections is
 * neither applied nor forwarded (the connection stays; it still receives
 * everyone else's presence, which keeps the stock client alive). Their
 * presence changes, over all their connections to the document, are rate
 * limited; past that the connection is closed with 4429. Frames per person
 * over all documents are limited in frame-rate-limits.ts, and changes are
 * sent on in batches (room-presence.ts).
 */
import { TokenBucket, type TokenBucketConfig } from '../limiting/token-bucket.js';
import type { PresenceStates, ReadEntry } from './presence-states.js';

export interface PresenceLimits {
  /** Client ids one person may show presence under in one document. */
  idsPerPerson: number;
  /** Presence updates that change something, per person per document, over all their connections. */
  changesPerPerson: TokenBucketConfig;
  /** Presence changes are gathered this long, then sent as one frame to each connection. */
  tickMs: number;
  /** Bytes of presence states a connection that just joined is sent at most. */
  greetingBytes: number;
}

/**
 * Defaults (README, "Configuration"). Our client changes presence three times
 * per message sent (name, typing, stopped), so someone sending fast makes
 * tens of changes a second; the change limit is twice one connection's frame
 * limit, and batching (not this limit) is what keeps forwarding cheap.
 */
export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = {
  idsPerPerson: 8,
  changesPerPerson: { burst: 240, perSecond: 60 },
  tickMs: 50,
  greetingBytes: 256 * 1024,
};

export type PresenceVerdict = 'apply' | 'over-ids' | 'over-rate';

/**
 * How fast each person changes presence in one room, and whether an update
 * would take them past their cap of client ids. Who shows which client id is
 * kept in the room's presence records (presence-states.ts).
 */
export class PresencePeople {
  /** Kept while the room is loaded (at most one per member), so clearing presence does not refill it; made at the first change. */
  private changeBuckets: Map<string, TokenBucket> | null = null;

  constructor(
    private readonly limits: PresenceLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Judges an awareness update's entries (already checked by
   * awareness-guard.ts) from `userId`: apply it, ignore it (it would add a
   * client id past their cap), or refuse it (they change presence too fast).
   * Echoes of what the relay holds change nothing and cost nothing.
   */
  judge(states: PresenceStates, userId: string, entries: readonly ReadEntry[]): PresenceVerdict {
    const changed = entries.filter((entry) => states.changes(entry));
    if (changed.length === 0) return 'apply';
    const newIds = changed.filter((entry) => !entry.removes && states.personOf(entry.clientId) !== userId).length;
    if (newIds > 0 && states.countShownBy(userId) + newIds > this.limits.idsPerPerson) return 'over-ids';
    return this.changeBucket(userId).take(this.now()) ? 'apply' : 'over-rate';
  }

  private changeBucket(userId: string): TokenBucket {
    const buckets = (this.changeBuckets ??= new Map());
    let bucket = buckets.get(userId);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.changesPerPerson, this.now());
      buckets.set(userId, bucket);
    }
    return bucket;
  }
}
