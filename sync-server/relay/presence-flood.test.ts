/**
 * Presence floods over real sockets (issue 20, item 5): one person's many
 * connections show a bounded number of presence entries, a newcomer's
 * greeting is bounded, bursts of changes are sent on in batches, a person
 * changing presence too fast over several connections is closed with 4429,
 * and the relay still echoes an honest client's presence to it (the stock
 * y-websocket client drops a connection after 30 s without a message).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { CloseCode } from '../../shared/protocol.js';
import { useMemberScene, type MemberSceneFixture } from '../testing/member-scene.js';
import { presenceFrame, PresenceWatcher, syncRoundTrip } from '../testing/presence-frames.js';
import type { RawSession } from '../testing/raw-session.js';
import { rawSocket } from '../testing/raw-socket.js';
import type { TestUser } from '../testing/test-users.js';
import { DEFAULT_RELAY_RATE_LIMITS } from './frame-rate-limits.js';
import { DEFAULT_PRESENCE_LIMITS } from './presence-limits.js';

const K = DEFAULT_PRESENCE_LIMITS.idsPerPerson;

const watchedSockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of watchedSockets.splice(0)) socket.close();
});

/** A raw socket of `user` on the scene's document, watched from its first frame. */
async function watcher(scene: MemberSceneFixture, user: TestUser): Promise<PresenceWatcher> {
  const socket = rawSocket(scene.server, scene.docName, { cookie: user.cookie });
  const watching = new PresenceWatcher(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  watchedSockets.push(socket);
  return watching;
}

async function sessions(scene: MemberSceneFixture, user: TestUser, count: number): Promise<RawSession[]> {
  const opened: RawSession[] = [];
  for (let i = 0; i < count; i++) opened.push(await scene.raw(user));
  return opened;
}

describe('presence of one person', () => {
  const scene = useMemberScene();

  it(`shows at most ${K} presence entries per person per document; a newcomer's greeting stays small`, async () => {
    const mallory = await sessions(scene, scene.mallory, 3 * K);
    const padding = 'x'.repeat(2000);
    mallory.forEach((session, i) => session.sendFrame(presenceFrame(session.doc.clientID, 1, { user: { name: `Mallory ${i}` }, padding })));
    expect(await Promise.all(mallory.map(syncRoundTrip))).toEqual(mallory.map(() => 'answered'));

    const newcomer = await watcher(scene, scene.alice);
    await newcomer.until(() => newcomer.frames.length > 0, 'the greeting');
    const shown = [...newcomer.latest.values()].filter((entry) => JSON.stringify(entry.state).includes('Mallory'));
    expect(shown).toHaveLength(K);
    expect(newcomer.frames[0].byteLength).toBeLessThan((K + 1) * (padding.length + 100));
    // The extra connections are not punished: they stay, only their presence is not shown.
    expect(mallory.every((session) => session.isOpen)).toBe(true);
  });

  it('sends a burst of presence changes on as a few frames, ending with the last state', async () => {
    const alice = await watcher(scene, scene.alice);
    const session = await scene.raw(scene.mallory);
    const changes = 50;
    const before = alice.frames.length;
    for (let clock = 1; clock <= changes; clock++)
      session.sendFrame(presenceFrame(session.doc.clientID, clock, { typing: clock % 2 === 0, n: clock }));
    await alice.until(() => alice.latest.get(session.doc.clientID)?.clock === changes, 'the last presence change');
    // One frame per change before batching; a batch per tick now (the burst arrives within a few ticks).
    expect(alice.frames.length - before).toBeLessThanOrEqual(10);
  });

  it('closes a person changing presence too fast over several connections with 4429', async () => {
    const mallory = await sessions(scene, scene.mallory, 10);
    const { burst } = DEFAULT_PRESENCE_LIMITS.changesPerPerson;
    // Each connection stays far under its own frame limit; together they pass the person's change limit.
    const perConnection = Math.ceil((burst * 2) / mallory.length);
    expect(perConnection).toBeLessThan(DEFAULT_RELAY_RATE_LIMITS.awarenessPerConnection.burst / 2);
    for (let clock = 1; clock <= perConnection; clock++) {
      for (const session of mallory) session.sendFrame(presenceFrame(session.doc.clientID, clock, { n: clock }));
    }
    const outcomes = await Promise.all(mallory.map(syncRoundTrip));
    expect(outcomes).toContainEqual({ closed: CloseCode.rateLimited });
  });

  it("echoes an honest client's presence change back to it (the stock client's sign of life)", async () => {
    const provider = scene.aliceReplica.provider;
    const ws = provider.ws;
    if (!ws) throw new Error("Alice's replica is not connected");
    const echoed = new Promise<void>((resolve) => ws.addEventListener('message', () => resolve(), { once: true }));
    provider.awareness.setLocalStateField('typing', true);
    await echoed;
    expect(provider.wsconnected).toBe(true);
  });
});

describe('presence frames of one person over all their connections', () => {
  const scene = useMemberScene({
    relayRateLimits: { ...DEFAULT_RELAY_RATE_LIMITS, awarenessPerUser: { burst: 40, perSecond: 1 } },
  });

  it('count against the person, echoes included: past their limit a connection is closed with 4429', async () => {
    const [first, second] = await sessions(scene, scene.mallory, 2);
    // Repeats of one state change nothing (like a stock client's echoes), but cost the relay a decode each.
    for (let i = 0; i < 25; i++) first.sendFrame(presenceFrame(first.doc.clientID, 1, { n: 1 }));
    expect(await syncRoundTrip(first)).toBe('answered');
    for (let i = 0; i < 25; i++) second.sendFrame(presenceFrame(second.doc.clientID, 1, { n: 1 }));
    expect(await syncRoundTrip(second)).toEqual({ closed: CloseCode.rateLimited });
  });
});
