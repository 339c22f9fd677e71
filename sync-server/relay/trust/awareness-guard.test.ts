/**
 * Awareness over real sockets: a connection sets presence only under its
 * person's own client ids, small, and not too often.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Awareness } from 'y-protocols/awareness';
import { CloseCode } from '../../../shared/protocol.js';
import { useMemberScene } from '../../testing/member-scene.js';
import { presenceFrame } from '../../testing/presence-frames.js';
import { MAX_AWARENESS_STATE_BYTES } from './awareness-guard.js';
import { DEFAULT_RELAY_RATE_LIMITS } from '../frame-rate-limits.js';

const scene = useMemberScene();

/** The name a client's presence shows in `awareness`, if any. */
function nameOf(awareness: Awareness, clientId: number): string | undefined {
  return (awareness.getStates().get(clientId) as { user?: { name?: string } } | undefined)?.user?.name;
}

/** Resolves when the presence of `clientId` shows `name`, checking on every awareness change. */
function presenceNamed(awareness: Awareness, clientId: number, name: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (nameOf(awareness, clientId) === name) return resolve();
    const stop = () => {
      clearTimeout(timer);
      awareness.off('change', check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for the presence "${name}"`));
    }, timeoutMs);
    function check(): void {
      if (nameOf(awareness, clientId) !== name) return;
      stop();
      resolve();
    }
    awareness.on('change', check);
  });
}

describe('awareness', () => {
  it("refuses presence under another member's client id; their presence stays theirs", async () => {
    const alice = scene.aliceReplica.provider.awareness;
    alice.setLocalStateField('user', { name: 'Alice' });
    const observer = scene.open(scene.mallory).provider.awareness;
    await presenceNamed(observer, alice.clientID, 'Alice');

    const session = await scene.raw(scene.mallory);
    session.sendFrame(presenceFrame(alice.clientID, 1_000_000, { user: { name: 'Alice (typing…)' }, typing: true }));
    expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: foreign-client-id' });
    expect(nameOf(observer, alice.clientID)).toBe('Alice');
  });

  it('refuses an oversized presence', async () => {
    const session = await scene.raw(scene.mallory);
    session.sendFrame(presenceFrame(session.doc.clientID, 1, { user: { name: 'x'.repeat(MAX_AWARENESS_STATE_BYTES) } }));
    expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: awareness-too-large' });
  });

  it('closes a presence flood with 4429', async () => {
    const session = await scene.raw(scene.mallory);
    const burst = DEFAULT_RELAY_RATE_LIMITS.awarenessPerConnection.burst;
    for (let clock = 1; clock <= burst * 2; clock++)
      session.sendFrame(presenceFrame(session.doc.clientID, clock, { typing: clock % 2 === 0 }));
    expect((await session.closed).code).toBe(CloseCode.rateLimited);
  });

  it('lets a reconnecting replica take its own presence over from its old connection', async () => {
    const first = await scene.raw(scene.alice);
    first.sendFrame(presenceFrame(first.doc.clientID, 1, { user: { name: 'Alice' } }));
    const second = await scene.raw(scene.alice);
    second.sendFrame(presenceFrame(first.doc.clientID, 2, { user: { name: 'Alice again' } }));
    const observer = scene.open(scene.mallory).provider.awareness;
    await presenceNamed(observer, first.doc.clientID, 'Alice again');
    const removed: number[] = [];
    observer.on('change', (change: { removed: number[] }) => removed.push(...change.removed));
    const connections = scene.server.context.relay.connectionCount;
    first.close();
    await first.closed;
    // The relay raises no event when it has let a connection go: wait (bounded) until it counts one fewer.
    await vi.waitFor(() => expect(scene.server.context.relay.connectionCount).toBe(connections - 1), { timeout: 10_000, interval: 10 });
    // The old connection's close must not wipe the presence the new one now holds. Any removal it
    // caused was sent to the observer before this marker, which the relay handles after the close.
    second.sendFrame(presenceFrame(second.doc.clientID, 1, { user: { name: 'marker' } }));
    await presenceNamed(observer, second.doc.clientID, 'marker');
    expect(removed).not.toContain(first.doc.clientID);
    expect(nameOf(observer, first.doc.clientID)).toBe('Alice again');
    expect(second.isOpen).toBe(true);
  });
});
