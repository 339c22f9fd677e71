/**
 * Rate limits on what relay connections send, checked before a frame is
 * decoded. Sync frames (updates, and step 1 requests, which cost the server
 * a diff of the document) are limited per connection and per person across
 * all their connections (so opening more sockets does not buy more);
 * awareness frames likewise per connection and per person (echoes of other
 * people's presence included: they cost a decode each). A connection over
 * its limit is closed with 4429; the client reconnects later.
 */
import { MessageType } from '../../shared/protocol.js';
import type { Connection } from './connection.js';
import { TokenBucket, type TokenBucketConfig } from '../limiting/token-bucket.js';

export interface RelayRateLimits {
  updatesPerConnection: TokenBucketConfig;
  updatesPerUser: TokenBucketConfig;
  awarenessPerConnection: TokenBucketConfig;
  awarenessPerUser: TokenBucketConfig;
}

/** Defaults fit for the public internet; each can be set by environment (README, "Configuration"). */
export const DEFAULT_RELAY_RATE_LIMITS: RelayRateLimits = {
  updatesPerConnection: { burst: 200, perSecond: 50 },
  updatesPerUser: { burst: 1000, perSecond: 200 },
  // Stock y-websocket clients echo every presence change they receive, so this
  // covers everyone's presence in a busy document, not just the sender's.
  awarenessPerConnection: { burst: 120, perSecond: 30 },
  // A person with hundreds of conversations open echoes every change in each of them.
  awarenessPerUser: { burst: 1000, perSecond: 200 },
};

/** Above this many people with a bucket, full buckets are forgotten so memory stays bounded. */
const SWEEP_THRESHOLD = 10_000;

interface ConnectionBuckets {
  updates: TokenBucket;
  awareness: TokenBucket;
}

export class FrameRateLimits {
  private readonly byConnection = new WeakMap<Connection, ConnectionBuckets>();
  private readonly updatesByUser = new Map<string, TokenBucket>();
  private readonly awarenessByUser = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: RelayRateLimits = DEFAULT_RELAY_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one frame; false when the connection or its person is over the limit. */
  admit(connection: Connection, frame: Uint8Array): boolean {
    const now = this.now();
    let buckets = this.byConnection.get(connection);
    if (!buckets) {
      buckets = {
        updates: new TokenBucket(this.limits.updatesPerConnection, now),
        awareness: new TokenBucket(this.limits.awarenessPerConnection, now),
      };
      this.byConnection.set(connection, buckets);
    }
    const userId = connection.identity.userId;
    // The first byte is the message type (a one-byte varuint for every type we know).
    if (frame[0] === MessageType.awareness) {
      return buckets.awareness.take(now) && userBucket(this.awarenessByUser, userId, this.limits.awarenessPerUser, now).take(now);
    }
    return buckets.updates.take(now) && userBucket(this.updatesByUser, userId, this.limits.updatesPerUser, now).take(now);
  }
}

function userBucket(byUser: Map<string, TokenBucket>, userId: string, config: TokenBucketConfig, now: number): TokenBucket {
  let bucket = byUser.get(userId);
  if (!bucket) {
    if (byUser.size >= SWEEP_THRESHOLD) sweep(byUser, now);
    bucket = new TokenBucket(config, now);
    byUser.set(userId, bucket);
  }
  return bucket;
}

function sweep(byUser: Map<string, TokenBucket>, now: number): void {
  for (const [userId, bucket] of byUser) {
    if (bucket.isFull(now)) byUser.delete(userId);
  }
}
