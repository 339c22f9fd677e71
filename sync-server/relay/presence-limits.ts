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
import type { Awareness } from 'y-protocols/awareness';
import { changesState, decodeEntries } from './trust/awareness-guard.js';
import { TokenBucket, type TokenBucketConfig } from '../limiting/token-bucket.js';

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

/** Who shows presence under which client id in one room, and how fast each person changes it. */
export class PresencePeople {
  private readonly personOf = new Map<number, string>();
  private readonly idCounts = new Map<string, number>();
  /** Kept while the room is loaded (at most one per member), so clearing presence does not refill it. */
  private readonly changeBuckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: PresenceLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Judges an awareness update (already checked by awareness-guard.ts) from
   * `userId`: apply it, ignore it (it would add a client id past their cap),
   * or refuse it (they change presence too fast). Echoes of what the relay
   * holds change nothing and cost nothing.
   */
  judge(awareness: Awareness, userId: string, update: Uint8Array): PresenceVerdict {
    const changed = (decodeEntries(update) ?? []).filter((entry) => changesState(awareness, entry) === true);
    if (changed.length === 0) return 'apply';
    const newIds = changed.filter((entry) => entry.json !== 'null' && this.personOf.get(entry.clientId) !== userId).length;
    if (newIds > 0 && (this.idCounts.get(userId) ?? 0) + newIds > this.limits.idsPerPerson) return 'over-ids';
    return this.changeBucket(userId).take(this.now()) ? 'apply' : 'over-rate';
  }

  /** A state under `clientId` was set by a connection of `userId`. */
  shown(clientId: number, userId: string): void {
    if (this.personOf.has(clientId)) return;
    this.personOf.set(clientId, userId);
    this.idCounts.set(userId, (this.idCounts.get(userId) ?? 0) + 1);
  }

  /** The state under `clientId` is gone (cleared, timed out, or its connection left). */
  removed(clientId: number): void {
    const userId = this.personOf.get(clientId);
    if (userId === undefined) return;
    this.personOf.delete(clientId);
    const count = (this.idCounts.get(userId) ?? 1) - 1;
    if (count > 0) this.idCounts.set(userId, count);
    else this.idCounts.delete(userId);
  }

  private changeBucket(userId: string): TokenBucket {
    let bucket = this.changeBuckets.get(userId);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.changesPerPerson, this.now());
      this.changeBuckets.set(userId, bucket);
    }
    return bucket;
  }
}
