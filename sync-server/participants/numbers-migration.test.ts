/**
 * Migration to the append-only `numbers` (issue 14, docs/SEQ.md): a
 * conversation stored by the code before it, its numbers in the `seq` map,
 * is read in both forms and never rewritten. Every message keeps its number,
 * numbering continues without a gap or a duplicate in `numbers` only, and a
 * device that held the old document offline shows the same order as a
 * fresh one, also after a restart.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { orderedMessages } from '../../shared/message-order.js';
import { messagesOf, seqOf } from '../../shared/schema.js';
import { numbersOf, seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { directConversation } from '../testing/direct-conversation.js';
import { storeChange } from '../testing/stored-change.js';
import { whenSynced } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer();
const LEGACY = 20;
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const order = (doc: Y.Doc) => orderedMessages(doc).map((m) => `${m.seq}:${m.message.text}`);

it('keeps every number of a seq-map conversation, continues in numbers from the next, and every device shows one order', async () => {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const conversationId = await directConversation(test.server, ada, bob);
  const docName = convDocName(conversationId);
  const legacy = Array.from({ length: LEGACY }, (_, i) => textMessage(i % 2 === 0 ? ada.id : bob.id, `before issue 14, ${i}`));
  let storedState: Uint8Array = new Uint8Array();
  await test.restart({}, async () => {
    const db = await Database.open(test.dataDir);
    // As the code before issue 14 stored it: the messages, then each one's number in `seq` by the server.
    await storeChange(new LevelDocumentLog(db), docName, (doc) => {
      doc.transact(() => {
        for (const message of legacy) messagesOf(doc).set(message.id, message);
      });
    });
    storedState = await storeChange(new LevelDocumentLog(db), docName, (doc) => {
      doc.transact(() => legacy.forEach((message, i) => seqOf(doc).set(message.id, i + 1)));
    });
    await db.close();
  });

  // Ada's phone held the old document and wrote one more message offline.
  const phoneDoc = new Y.Doc();
  Y.applyUpdate(phoneDoc, storedState);
  const offline = writeMessage(phoneDoc, ada.id, 'written offline before the upgrade');
  const bobsDevice = test.open(bob, docName);
  await whenSynced(bobsDevice);
  expect(seqIndexOf(bobsDevice.doc).toJSON()).toEqual(Object.fromEntries(legacy.map((m, i) => [m.id, i + 1])));
  const phone = test.open(ada, docName, phoneDoc);
  const reply = writeMessage(bobsDevice.doc, bob.id, 'after the upgrade');
  const fresh = [offline, reply];
  for (const client of [phone, bobsDevice]) {
    await waitFor(client.doc, () => fresh.every((m) => seqIndexOf(client.doc).has(m.id)), 10_000, 'the new messages numbered');
  }

  for (const doc of [phoneDoc, bobsDevice.doc]) {
    const index = seqIndexOf(doc);
    expect([...index.values()].sort((a, b) => a - b)).toEqual(oneToN(LEGACY + 2));
    legacy.forEach((message, i) => expect(index.get(message.id)).toBe(i + 1));
    // New numbers went to `numbers` only; the stored map is as it was.
    expect(seqOf(doc).size).toBe(LEGACY);
    expect(numbersOf(doc).length).toBeGreaterThan(0);
  }
  expect(order(phoneDoc)).toEqual(order(bobsDevice.doc));
  const numbered = seqIndexOf(bobsDevice.doc).toJSON();

  // After a restart the relay reads both forms again: nothing moves, and the next number follows.
  test.closeClients();
  await test.restart();
  const later = test.open(bob, docName);
  await whenSynced(later);
  expect(seqIndexOf(later.doc).toJSON()).toEqual(numbered);
  const last = writeMessage(later.doc, bob.id, 'after a restart');
  await waitFor(later.doc, () => seqIndexOf(later.doc).has(last.id), 10_000, 'the message after the restart numbered');
  expect(seqIndexOf(later.doc).get(last.id)).toBe(LEGACY + 3);
  expect(order(later.doc)).toEqual([...order(phoneDoc), `${LEGACY + 3}:after a restart`]);
});
