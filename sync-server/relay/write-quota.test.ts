/**
 * Write quotas over real sockets (issue 20, item 4): a member writing past
 * their byte quota, or into a conversation at its size budget, is closed
 * with 4413 and the rule; nothing of the refused update is stored; other
 * members, and the same member reading, are unaffected.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, metaOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { RawSession } from '../testing/raw-session.js';
import { freshCopy, useMemberScene, type MemberScene } from '../testing/member-scene.js';
import { waitFor } from '../testing/wait-for.js';
import { decodeFrame, encodeSyncStep1 } from './frames.js';
import { DEFAULT_WRITE_QUOTA, PersonWriteQuotas, type WriteQuotaConfig } from './write-quota.js';

const KIB = 1024;
/** A long message, under the 10,000-character limit. */
const LONG_TEXT = 'x'.repeat(8000);
/** Messages written before giving up on being refused: far past every quota below. */
const MAX_MESSAGES = 60;

/** A quota of `burstBytes` that does not refill within a test. */
function quota(overrides: Partial<WriteQuotaConfig>): { writeQuota: WriteQuotaConfig } {
  return { writeQuota: { ...DEFAULT_WRITE_QUOTA, bytesPerHour: 1, ...overrides } };
}

/** Sends `MAX_MESSAGES` long messages as `session`'s person at once; returns their ids in order and how the relay closed. */
async function writeUntilClosed(
  session: RawSession,
  author: string,
): Promise<{ written: string[]; close: { code: number; reason: string } }> {
  const written: string[] = [];
  for (let i = 0; i < MAX_MESSAGES && session.isOpen; i++) session.write((doc) => written.push(writeMessage(doc, author, LONG_TEXT).id));
  return { written, close: await session.closed };
}

/** Ids of `written` the stored document holds (what a new device would get). */
async function storedOf(scene: MemberScene, written: string[]): Promise<string[]> {
  const stored = messagesOf(await freshCopy(scene));
  return written.filter((id) => stored.has(id));
}

/** Mallory writes long messages on a new connection until it is closed with 4413 `reason`; what she wrote and what was stored of it. */
async function malloryWritesUntilRefused(scene: MemberScene, reason: string): Promise<{ written: string[]; stored: string[] }> {
  const session = await scene.raw(scene.mallory);
  const { written, close } = await writeUntilClosed(session, scene.mallory.id);
  expect(close).toEqual({ code: CloseCode.quotaExceeded, reason });
  return { written, stored: await storedOf(scene, written) };
}

describe('a person writing past their byte quota', () => {
  const scene = useMemberScene(quota({ burstBytes: 64 * KIB }));

  it('is closed with 4413 write-quota; the refused bytes are not stored; another member writes on', async () => {
    const { written, stored } = await malloryWritesUntilRefused(scene, 'write-quota');
    // Everything up to the quota was accepted, the refused message and all after it were not.
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length * LONG_TEXT.length).toBeLessThanOrEqual(64 * KIB);
    expect(stored).toEqual(written.slice(0, stored.length));

    const honest = writeMessage(scene.aliceReplica.doc, scene.alice.id, 'Alice is not slowed down');
    await waitFor(scene.aliceReplica.doc, () => seqIndexOf(scene.aliceReplica.doc).has(honest.id), 10_000, "Alice's message numbered");
    expect(scene.aliceReplica.provider.wsconnected).toBe(true);
  });

  it('counts the bytes across all their connections', async () => {
    const first = await scene.raw(scene.mallory);
    const early: string[] = [];
    for (let i = 0; i < 5; i++) first.write((doc) => early.push(writeMessage(doc, scene.mallory.id, LONG_TEXT).id));
    await waitFor(
      scene.aliceReplica.doc,
      () => early.every((id) => seqIndexOf(scene.aliceReplica.doc).has(id)),
      10_000,
      'the first five stored',
    );
    const second = await scene.raw(scene.mallory);
    const { written, close } = await writeUntilClosed(second, scene.mallory.id);
    expect(close).toEqual({ code: CloseCode.quotaExceeded, reason: 'write-quota' });
    // Alone, the second connection was far under the quota (8 messages) when it was refused.
    expect((await storedOf(scene, written)).length).toBeLessThanOrEqual(3);
    expect(first.isOpen).toBe(true);
  });

  it('still lets them hand over what the relay already has: an update adding nothing new is never refused', async () => {
    const session = await scene.raw(scene.mallory);
    await writeUntilClosed(session, scene.mallory.id);
    // A replica that holds the whole conversation sends all of it (like a step 2 against an empty state vector).
    const copy = await freshCopy(scene);
    const reader = await scene.raw(scene.mallory, copy);
    reader.sendUpdate(Y.encodeStateAsUpdate(copy));
    expect(Y.encodeStateAsUpdate(copy).byteLength).toBeGreaterThan(64 * KIB);
    // The relay answers this request only after handling the update before it, unless it closed instead.
    const answered = new Promise<string>((resolve) => {
      reader.socket.on('message', (data: Buffer) => {
        if (decodeFrame(new Uint8Array(data)).type === 'sync-step-2') resolve('answered');
      });
    });
    reader.sendFrame(encodeSyncStep1(Y.encodeStateVector(copy)));
    expect(await Promise.race([answered, reader.closed.then((close) => `closed ${close.code} ${close.reason}`)])).toBe('answered');
  });
});

describe('a conversation at its size budget', () => {
  // Room for the scene's first message and a few long ones, whoever writes them.
  const scene = useMemberScene(quota({ maxDocumentBytes: 48 * KIB }));

  it("refuses every member with 4413 conversation-full, stores nothing of the refused update, and still takes the server's own writes", async () => {
    const { written, stored } = await malloryWritesUntilRefused(scene, 'conversation-full');
    expect(stored.length).toBeLessThan(written.length);
    expect(stored.length * LONG_TEXT.length).toBeLessThanOrEqual(48 * KIB);

    // Alice's message is as long as the one refused: it does not fit either.
    const alice = await scene.raw(scene.alice);
    let refused = '';
    alice.write((doc) => (refused = writeMessage(doc, scene.alice.id, `${LONG_TEXT}y`).id));
    expect(await alice.closed).toEqual({ code: CloseCode.quotaExceeded, reason: 'conversation-full' });
    expect(messagesOf(await freshCopy(scene)).has(refused)).toBe(false);

    // The server's own writes (meta, the sequencer, the robot) are neither counted nor refused.
    await scene.server.context.registry.change(scene.docName, (doc) => metaOf(doc).set('notice', 'n'.repeat(LONG_TEXT.length)));
    expect(metaOf(await freshCopy(scene)).get('notice')).toBe('n'.repeat(LONG_TEXT.length));
  });
});

describe('PersonWriteQuotas', () => {
  it('refills at the hourly rate, and lets a full bucket take one update larger than the burst', () => {
    let now = 0;
    const quotas = new PersonWriteQuotas({ burstBytes: 1000, bytesPerHour: 3_600_000, maxDocumentBytes: 1 }, () => now);
    expect(quotas.allows('a', 5000)).toBe(true);
    quotas.spend('a', 5000);
    expect(quotas.allows('a', 1)).toBe(false);
    expect(quotas.allows('b', 1000)).toBe(true);
    // 1000 bytes per second: the 4000-byte debt is paid after 4 s, then 500 bytes fit.
    now = 4000;
    expect(quotas.allows('a', 1)).toBe(false);
    now = 4500;
    expect(quotas.allows('a', 500)).toBe(true);
    expect(quotas.allows('a', 501)).toBe(false);
  });
});
