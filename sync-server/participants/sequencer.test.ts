/**
 * The sequencer through the real relay: offline writers converge on one
 * order, and resending the same update changes nothing.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { orderedMessages } from '../../shared/message-order.js';
import { messagesOf, seqOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { encodeUpdate } from '../relay/frames.js';
import { directConversation } from '../testing/direct-conversation.js';
import { rawSocket } from '../testing/raw-socket.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';
import { Sequencer } from './sequencer.js';

const test = useTestServer();

async function friendsWithAConversation(): Promise<{ alice: TestUser; bob: TestUser; docName: string }> {
  const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
  return { alice, bob, docName: convDocName(await directConversation(test.server, alice, bob)) };
}

function write(doc: Y.Doc, author: string, text: string, createdAt: number): Message {
  return writeMessage(doc, author, text, { createdAt });
}

const allDelivered = (doc: Y.Doc, count: number) => () =>
  messagesOf(doc).size === count && orderedMessages(doc).every((m) => m.state === 'delivered');

describe('sequencer', () => {
  it.each([['Alice first'], ['Bob first']])('gives two offline writers the same order on both screens (%s)', async (which) => {
    const { alice, bob, docName } = await friendsWithAConversation();
    // Both write while offline, with interleaved clocks.
    const aliceDoc = new Y.Doc();
    const bobDoc = new Y.Doc();
    const t = Date.now();
    for (let i = 0; i < 4; i++) {
      write(aliceDoc, alice.id, `alice ${i}`, t + i * 2);
      write(bobDoc, bob.id, `bob ${i}`, t + i * 2 + 1);
    }
    const order =
      which === 'Alice first'
        ? [
            [alice, aliceDoc],
            [bob, bobDoc],
          ]
        : [
            [bob, bobDoc],
            [alice, aliceDoc],
          ];
    const first = test.open(order[0][0] as TestUser, docName, order[0][1] as Y.Doc);
    await waitFor(first.doc, allDelivered(first.doc, 4), 10_000, 'first writer delivered');
    const second = test.open(order[1][0] as TestUser, docName, order[1][1] as Y.Doc);
    await waitFor(first.doc, allDelivered(first.doc, 8), 10_000, 'first sees all');
    await waitFor(second.doc, allDelivered(second.doc, 8), 10_000, 'second sees all');
    const texts = (doc: Y.Doc) => orderedMessages(doc).map((m) => m.message.text);
    expect(texts(aliceDoc)).toEqual(texts(bobDoc));
    // The writer who came back first is sequenced first, each in their own order.
    const firstName = which === 'Alice first' ? 'alice' : 'bob';
    expect(texts(aliceDoc).slice(0, 4)).toEqual([0, 1, 2, 3].map((i) => `${firstName} ${i}`));
  });

  it('changes nothing when the same update is sent twice', async () => {
    const { alice, bob, docName } = await friendsWithAConversation();
    const offline = new Y.Doc();
    const message = write(offline, alice.id, 'only once', Date.now());
    const update = Y.encodeStateAsUpdate(offline);

    const socket = rawSocket(test.server, docName, { cookie: alice.cookie });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(encodeUpdate(update));
    socket.send(encodeUpdate(update));

    const reader = test.open(bob, docName);
    await waitFor(reader.doc, () => seqIndexOf(reader.doc).has(message.id), 10_000, 'the message and its number');
    // A third copy after the first two were stored: still one message, one number.
    socket.send(encodeUpdate(update));
    const probe = write(offline, alice.id, 'marker', Date.now());
    socket.send(encodeUpdate(Y.encodeStateAsUpdate(offline)));
    await waitFor(reader.doc, () => seqIndexOf(reader.doc).has(probe.id), 10_000, 'the marker');
    expect(messagesOf(reader.doc).size).toBe(2);
    expect([...seqIndexOf(reader.doc).values()].sort()).toEqual([1, 2]);
    socket.close();
  });
});

describe('Sequencer (unit)', () => {
  it('continues numbering after the highest stored number and numbers leftovers on load', () => {
    const doc = new Y.Doc();
    write(doc, 'a', 'numbered', 1);
    const [numbered] = [...messagesOf(doc).keys()];
    seqOf(doc).set(numbered, 41);
    const leftover = write(doc, 'a', 'stored but not numbered before a crash', 2);
    const sequencer = new Sequencer(doc);
    expect(sequencer.hasWork).toBe(true);
    sequencer.sequencePending();
    expect(seqIndexOf(doc).get(leftover.id)).toBe(42);
    const next = write(doc, 'a', 'new', 3);
    sequencer.sequencePending();
    expect(seqIndexOf(doc).get(next.id)).toBe(43);
    sequencer.destroy();
  });
});
