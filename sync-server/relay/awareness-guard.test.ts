/**
 * Awareness over real sockets: a connection sets presence only under its
 * person's own client ids, small, and not too often.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol.js';
import type { RunningServer } from '../server.js';
import { memberScene, type MemberScene } from '../testing/member-scene.js';
import { makeTempDir, removeDir, startTestServer } from '../testing/server-fixture.js';
import { MAX_AWARENESS_STATE_BYTES } from './awareness-guard.js';
import { DEFAULT_RELAY_RATE_LIMITS } from './frame-rate-limits.js';
import { encodeAwareness } from './frames.js';

let dataDir: string;
let server: RunningServer;
let scene: MemberScene;

beforeEach(async () => {
  dataDir = await makeTempDir();
  server = await startTestServer({ dataDir });
  scene = await memberScene(server);
});

afterEach(async () => {
  scene.destroy();
  await server.close();
  await removeDir(dataDir);
});

/** An awareness update setting `state` for `clientId` (the y-protocols layout). */
function presence(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encodeAwareness(encoding.toUint8Array(encoder));
}

function waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error('timed out'));
      }
    }, 10);
  });
}

describe('awareness', () => {
  it("refuses presence under another member's client id; their presence stays theirs", async () => {
    const alice = scene.aliceReplica.provider.awareness;
    alice.setLocalStateField('user', { name: 'Alice' });
    const observer = scene.open(scene.mallory).provider.awareness;
    await waitUntil(() => (observer.getStates().get(alice.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Alice');

    const session = await scene.raw(scene.mallory);
    session.sendFrame(presence(alice.clientID, 1_000_000, { user: { name: 'Alice (typing…)' }, typing: true }));
    expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: foreign-client-id' });
    expect((observer.getStates().get(alice.clientID) as { user: { name: string } }).user.name).toBe('Alice');
  });

  it('refuses an oversized presence', async () => {
    const session = await scene.raw(scene.mallory);
    session.sendFrame(presence(session.doc.clientID, 1, { user: { name: 'x'.repeat(MAX_AWARENESS_STATE_BYTES) } }));
    expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: awareness-too-large' });
  });

  it('closes a presence flood with 4429', async () => {
    const session = await scene.raw(scene.mallory);
    const burst = DEFAULT_RELAY_RATE_LIMITS.awarenessPerConnection.burst;
    for (let clock = 1; clock <= burst * 2; clock++) session.sendFrame(presence(session.doc.clientID, clock, { typing: clock % 2 === 0 }));
    expect((await session.closed).code).toBe(CloseCode.rateLimited);
  });

  it('lets a reconnecting replica take its own presence over from its old connection', async () => {
    const first = await scene.raw(scene.alice);
    first.sendFrame(presence(first.doc.clientID, 1, { user: { name: 'Alice' } }));
    const second = await scene.raw(scene.alice);
    second.sendFrame(presence(first.doc.clientID, 2, { user: { name: 'Alice again' } }));
    const observer = scene.open(scene.mallory).provider.awareness;
    await waitUntil(() => (observer.getStates().get(first.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Alice again');
    first.close();
    await first.closed;
    // The old connection's close must not wipe the presence the new one now holds.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(observer.getStates().has(first.doc.clientID)).toBe(true);
    expect(second.isOpen).toBe(true);
  });
});
