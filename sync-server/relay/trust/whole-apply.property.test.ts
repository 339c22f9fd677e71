/**
 * Property: what the validator accepts, Yjs applies whole. An update that
 * passes and then makes `Y.applyUpdate` throw after it changed the document
 * leaves the room holding something half-applied: it reloads and closes
 * every member with 1013, so one member could disturb everyone (relay fuzz
 * seed 493581: an empty delete range). The socket fuzz test sends 10,500
 * frames in a minute; this sends many more mutations straight to the
 * validator, from a fixed seed (FUZZ_SEED=<n> replays another, as there).
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf, metaOf, pinsOf, reactionKey, reactionsOf, readsOf, seqOf } from '../../../shared/schema.js';
import { numbersOf } from '../../../shared/seq-index.js';
import { textMessage } from '../../../shared/testing/text-message.js';
import { captureUpdate } from '../../../shared/testing/update-capture.js';
import { seededRandom } from '../../testing/seeded-random.js';
import { mutateUpdate, pokeSmallNumbers } from '../../testing/update-mutations.js';
import { takePendingStructs } from './pending-structs.js';
import { createUpdateValidator } from './update-validator.js';

const MUTATIONS = 30_000;
const alice = { userId: 'alice', sessionId: 'a' };
const mallory = { userId: 'mallory', sessionId: 'm' };

/** The relay's copy of a conversation: both members wrote, edited and deleted; the server numbered and wrote `meta`. */
function relayDocument(): { doc: Y.Doc; owners: Map<number, string>; malloryClient: number } {
  const doc = new Y.Doc();
  const owners = new Map<number, string>();
  const write = (userId: string, change: (replica: Y.Doc) => void): number => {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    owners.set(replica.clientID, userId);
    Y.applyUpdate(doc, captureUpdate(replica, change));
    return replica.clientID;
  };
  const hers = textMessage('alice', 'hello');
  const gone = textMessage('alice', 'removed');
  write('alice', (replica) => {
    messagesOf(replica).set(hers.id, hers);
    messagesOf(replica).set(gone.id, gone);
  });
  metaOf(doc).set('members', { alice: { name: 'Alice', role: 'owner' }, mallory: { name: 'Mallory', role: 'member' } });
  numbersOf(doc).push([1, hers.id, gone.id]);
  const his = textMessage('mallory', 'mine');
  const malloryClient = write('mallory', (replica) => {
    messagesOf(replica).set(his.id, his);
    readsOf(replica).set('mallory', 2);
    reactionsOf(replica).set(reactionKey(hers.id, '👍', 'mallory'), true);
  });
  numbersOf(doc).push([3, his.id]);
  write('alice', (replica) => {
    messagesOf(replica).set(hers.id, { ...hers, text: 'edited' });
    messagesOf(replica).delete(gone.id);
    readsOf(replica).set('alice', 3);
  });
  return { doc, owners, malloryClient };
}

/** Updates Mallory starts from: allowed and forbidden changes, under a new client id or her own, and the whole document. */
function seedUpdates(doc: Y.Doc, malloryClient: number): Uint8Array[] {
  const state = Y.encodeStateAsUpdate(doc);
  const [hers] = [...messagesOf(doc).values()].filter((message) => message.author === 'alice');
  const [his] = [...messagesOf(doc).values()].filter((message) => message.author === 'mallory');
  const added = textMessage('mallory', 'new');
  const changes: Array<(replica: Y.Doc) => void> = [
    (replica) => messagesOf(replica).set(added.id, added),
    (replica) => messagesOf(replica).set(his.id, { ...his, text: 'edited' }),
    (replica) => messagesOf(replica).delete(his.id),
    (replica) => {
      messagesOf(replica).set(added.id, added);
      messagesOf(replica).set(added.id, { ...added, text: 'again' });
      reactionsOf(replica).delete(reactionKey(hers.id, '👍', 'mallory'));
    },
    (replica) => readsOf(replica).set('mallory', 3),
    (replica) => pinsOf(replica).set(hers.id, { by: 'mallory', at: Date.now() }),
    (replica) => messagesOf(replica).set(hers.id, { ...hers, text: 'pwned' }),
    (replica) => messagesOf(replica).delete(hers.id),
    (replica) => seqOf(replica).set(added.id, 9),
    (replica) => numbersOf(replica).push([4, added.id]),
    (replica) => metaOf(replica).set('title', 'owned'),
  ];
  const updates = changes.flatMap((change) =>
    [undefined, malloryClient].map((clientId) => {
      const replica = new Y.Doc();
      Y.applyUpdate(replica, state);
      if (clientId !== undefined) replica.clientID = clientId;
      return captureUpdate(replica, change);
    }),
  );
  return [...updates, state];
}

it(`applies whole every update the validator accepts (${MUTATIONS} mutations)`, () => {
  const seed = process.env.FUZZ_SEED === 'random' ? Date.now() % 1_000_000 : Number(process.env.FUZZ_SEED ?? 20261206);
  const random = seededRandom(seed);
  const { doc, owners, malloryClient } = relayDocument();
  const state = Y.encodeStateAsUpdate(doc);
  const seeds = seedUpdates(doc, malloryClient);
  const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
  const halfApplied: string[] = [];
  let accepted = 0;
  for (let i = 0; i < MUTATIONS; i++) {
    let update = seeds[Math.floor(random() * seeds.length)];
    for (let rounds = 1 + Math.floor(random() * 2); rounds > 0; rounds--) {
      update = random() < 0.3 ? pokeSmallNumbers(update, random) : mutateUpdate(update, random);
    }
    const source = random() < 0.5 ? 'update' : 'sync-step-2';
    const identity = random() < 0.8 ? mallory : alice;
    const verdict = validator.check(doc, update, identity, source);
    if ('rule' in verdict) continue;
    accepted++;
    // Applied to a copy, as the room would apply it: a throw is harmless only if nothing changed before it.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, state);
    let changed = false;
    copy.on('update', () => (changed = true));
    try {
      Y.applyUpdate(copy, verdict.accept);
    } catch (error) {
      if (changed || takePendingStructs(copy) !== null) {
        halfApplied.push(`${source} by ${identity.userId}: ${Buffer.from(verdict.accept).toString('base64')} (${error})`);
      }
    }
  }
  expect(halfApplied.slice(0, 3), `seed ${seed}`).toEqual([]);
  // The mutations must reach Yjs often enough to mean something.
  expect(accepted).toBeGreaterThan(MUTATIONS / 50);
});
