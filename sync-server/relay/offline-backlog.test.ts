/**
 * Issue 20, item 11: a stock y-websocket client hands its whole offline
 * backlog over as one sync step 2 frame. A backlog over 1 MiB used to be
 * closed with 1009 on every retry; it must now sync by itself, every message
 * stored and numbered, while every other frame type keeps the 1 MiB bound.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_FRAME_BYTES, MESSAGE_TEXT_MAX_LENGTH } from '../../shared/limits.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { useMemberScene } from '../testing/member-scene.js';
import { closeCodesOf, whenSynced } from '../testing/synced-client.js';
import { waitFor } from '../testing/wait-for.js';
import { encodeUpdate } from './frames.js';

const scene = useMemberScene();

it('takes an offline backlog over 1 MiB from a stock client in one go, every message stored and numbered', async () => {
  const phone = scene.open(scene.mallory);
  await whenSynced(phone);
  const closes = closeCodesOf(phone);
  phone.provider.disconnect();
  // Each message within the message rules; together about 1.5 MiB, written while offline.
  const text = 'y'.repeat(MESSAGE_TEXT_MAX_LENGTH - 10);
  const ids: string[] = [];
  for (let i = 0; i < 150; i++) ids.push(writeMessage(phone.doc, scene.mallory.id, `${i} ${text}`).id);
  expect(Y.encodeStateAsUpdate(phone.doc).byteLength).toBeGreaterThan(MAX_FRAME_BYTES);
  phone.provider.connect();
  await waitFor(phone.doc, () => ids.every((id) => seqIndexOf(phone.doc).has(id)), 30_000, 'every offline message numbered');
  await waitFor(scene.aliceReplica.doc, () => ids.every((id) => seqIndexOf(scene.aliceReplica.doc).has(id)), 30_000, 'Alice got them');
  // Only our own disconnect: the relay never refused the backlog.
  expect(closes.filter((code) => code !== 0 && code !== 1000 && code !== 1005)).toEqual([]);
}, 40_000);

it('still closes an update frame over 1 MiB with 1009', async () => {
  const session = await scene.raw(scene.mallory);
  const doc = new Y.Doc();
  const text = 'z'.repeat(MESSAGE_TEXT_MAX_LENGTH - 10);
  for (let i = 0; i < 120; i++) writeMessage(doc, scene.mallory.id, `${i} ${text}`);
  const frame = encodeUpdate(Y.encodeStateAsUpdate(doc));
  expect(frame.byteLength).toBeGreaterThan(MAX_FRAME_BYTES);
  session.sendFrame(frame);
  expect((await session.closed).code).toBe(1009);
  doc.destroy();
});
