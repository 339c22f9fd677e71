/**
 * Numbers that come back to the sequencer from a replica after the store
 * lost them (issue 20, healing; relay/trust/returning-server-writes.ts): kept where
 * they continue the order, replaced otherwise, so the order stays without
 * gaps and duplicates, and a replica holding the returned entries ends with
 * the server's values.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';
import { messagesOf, seqOf } from '../../shared/schema.js';
import { numbersOf, seqIndexOf } from '../../shared/seq-index.js';
import { captureUpdate } from '../../shared/testing/update-capture.js';
import { Sequencer } from './sequencer.js';
import { SERVER_ORIGIN } from './server-origin.js';

const FROM_A_REPLICA = Symbol('a replica');

function message(doc: Y.Doc, id = newMessageId()): string {
  messagesOf(doc).set(id, { id, author: 'alice', kind: 'text', text: id, createdAt: 1 });
  return id;
}

it('keeps returned numbers that continue the order and replaces gaps, duplicates and non-numbers', () => {
  const server = new Y.Doc();
  const sequencer = new Sequencer(server);
  for (let i = 0; i < 3; i++) server.transact(() => message(server), SERVER_ORIGIN);
  sequencer.sequencePending();
  expect([...seqIndexOf(server).values()].sort()).toEqual([1, 2, 3]);

  // What a replica sends back: messages and numbers, some of which do not fit.
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const [fits, duplicate, gap, notANumber] = [newMessageId(), newMessageId(), newMessageId(), newMessageId()];
  const returned: Array<[string, unknown]> = [
    [fits, 4],
    [duplicate, 4],
    [gap, 9],
    [notANumber, 'x'],
  ];
  replica.transact(() => {
    for (const [id, number] of returned) {
      message(replica, id);
      (seqOf(replica) as Y.Map<unknown>).set(id, number);
    }
  });
  Y.applyUpdate(server, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server)), FROM_A_REPLICA);
  expect(sequencer.hasWork).toBe(true);
  const answer = captureUpdate(server, () => sequencer.sequencePending());

  expect(seqIndexOf(server).get(fits)).toBe(4);
  const numbers = [...seqIndexOf(server).values()].sort((a, b) => a - b);
  expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
  // The replacements overwrite the returned entries on the replica too.
  Y.applyUpdate(replica, answer);
  expect(seqIndexOf(replica).toJSON()).toEqual(seqIndexOf(server).toJSON());
  sequencer.destroy();
});

it('judges returned `numbers` chunks the same way; a replacement is appended after the returned number and wins on every replica', () => {
  const server = new Y.Doc();
  const sequencer = new Sequencer(server);
  for (let i = 0; i < 3; i++) server.transact(() => message(server), SERVER_ORIGIN);
  sequencer.sequencePending();

  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const [fits, duplicate, gap] = [newMessageId(), newMessageId(), newMessageId()];
  replica.transact(() => {
    for (const id of [fits, duplicate, gap]) message(replica, id);
    numbersOf(replica).push([4, fits, 4, duplicate, 9, gap]);
  });
  Y.applyUpdate(server, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server)), FROM_A_REPLICA);
  expect(sequencer.hasWork).toBe(true);
  const answer = captureUpdate(server, () => sequencer.sequencePending());

  expect(seqIndexOf(server).get(fits)).toBe(4);
  expect([...seqIndexOf(server).values()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  Y.applyUpdate(replica, answer);
  expect(seqIndexOf(replica).toJSON()).toEqual(seqIndexOf(server).toJSON());
  expect(sequencer.takeNumbered().map((n) => n.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  sequencer.destroy();
});
