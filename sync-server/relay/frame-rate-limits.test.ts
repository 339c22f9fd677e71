/**
 * Rate limits on relay frames: the token bucket itself, then floods over
 * real sockets (per connection, and per person across connections).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { useMemberScene } from '../testing/member-scene.js';
import { syncRoundTrip } from '../testing/presence-frames.js';
import { waitFor } from '../testing/wait-for.js';
import { DEFAULT_RELAY_RATE_LIMITS } from './frame-rate-limits.js';
import { encodeSyncStep1 } from './frames.js';
import { TokenBucket } from '../limiting/token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket({ burst: 3, perSecond: 2 }, 0);
    expect([1, 2, 3, 4].map(() => bucket.take(0))).toEqual([true, true, true, false]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    expect(bucket.isFull(10_000)).toBe(true);
  });
});

const stateRequest = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));

describe('frame floods over real sockets', () => {
  describe('with the default limits', () => {
    const scene = useMemberScene({ relayRateLimits: DEFAULT_RELAY_RATE_LIMITS });

    it('closes a flooding connection with 4429 and keeps serving everyone else', async () => {
      const session = await scene.raw(scene.mallory);
      for (let i = 0; i < DEFAULT_RELAY_RATE_LIMITS.updatesPerConnection.burst * 2; i++) session.sendFrame(stateRequest);
      expect((await session.closed).code).toBe(CloseCode.rateLimited);
      const honest = writeMessage(scene.open(scene.mallory).doc, scene.mallory.id, 'after the flood');
      await waitFor(scene.aliceReplica.doc, () => messagesOf(scene.aliceReplica.doc).has(honest.id), 10_000, 'an honest message');
    });
  });

  describe('with a per-person limit below two connections’ limits', () => {
    const scene = useMemberScene({
      relayRateLimits: {
        ...DEFAULT_RELAY_RATE_LIMITS,
        updatesPerConnection: { burst: 20, perSecond: 1 },
        updatesPerUser: { burst: 30, perSecond: 1 },
      },
    });

    it("counts a person's frames across all their connections", async () => {
      const [first, second] = [await scene.raw(scene.mallory), await scene.raw(scene.mallory)];
      for (let i = 0; i < 15; i++) first.sendFrame(stateRequest);
      // The relay has counted all of the first connection's frames before the second sends: over two
      // sockets their order is otherwise the scheduler's, and the first could be the one that crosses the line.
      expect(await syncRoundTrip(first)).toBe('answered');
      for (let i = 0; i < 15; i++) second.sendFrame(stateRequest);
      // Each connection is under its own limit; together they are over the person's.
      expect((await second.closed).code).toBe(CloseCode.rateLimited);
      expect(first.isOpen).toBe(true);
    });
  });
});
