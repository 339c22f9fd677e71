/**
 * Issue 20 (low): the client ids bound in one document are bounded, per
 * person and in all, so neither the owners a room keeps in memory nor the
 * state vector every sync carries grows without end. Past the bound the
 * writer gets a clear refusal: 4400 `too-many-client-ids`.
 */
import { expect, it } from 'vitest';
import { CloseCode } from '../../../shared/protocol.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { useMemberScene } from '../../testing/member-scene.js';
import { waitFor } from '../../testing/wait-for.js';

const scene = useMemberScene({ clientIdLimits: { perPersonPerDocument: 3, perDocument: 4 } });

/** A fresh page load of `who` writes one message; resolves with how it ended. */
async function pageLoadWrites(who: 'alice' | 'mallory'): Promise<'delivered' | { code: number; reason: string }> {
  const session = await scene.raw(scene[who]);
  let id = '';
  session.write((doc) => (id = writeMessage(doc, scene[who].id, 'hello').id));
  return Promise.race([
    waitFor(session.doc, () => seqIndexOf(session.doc).has(id), 10_000, 'a number').then(() => 'delivered' as const),
    session.closed,
  ]);
}

it('refuses a new client id past the bound per person, and past the bound of the document', async () => {
  // Alice's replica holds her first id.
  expect(await pageLoadWrites('alice')).toBe('delivered');
  expect(await pageLoadWrites('alice')).toBe('delivered');
  expect(await pageLoadWrites('alice')).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: too-many-client-ids' });
  expect(await pageLoadWrites('mallory')).toBe('delivered');
  expect(await pageLoadWrites('mallory')).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: too-many-client-ids' });
  // Ids already bound keep working: Alice's open replica still writes.
  const still = writeMessage(scene.aliceReplica.doc, scene.alice.id, 'still here');
  await waitFor(scene.aliceReplica.doc, () => seqIndexOf(scene.aliceReplica.doc).has(still.id), 10_000, 'a write under a bound id');
});
