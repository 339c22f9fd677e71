/**
 * Issue 20, item 9 (healing): the store is restored from an older backup, so
 * the relay lost the newest messages and the client-id bindings made with
 * them. The devices that still hold everything reconnect and put it back:
 * each device's sync step 2 carries its own lost changes and other people's;
 * its own are taken (checked as usual), other people's are left out (never
 * refused) and come back from their own devices. Nobody is closed with 4400,
 * every replica and the relay end with every message, and the numbers stay
 * unique and without gaps.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf, reactionKey, reactionsOf, readsOf, type Message } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { openRawSession } from '../../testing/raw-session.js';
import { directConversation } from '../../testing/direct-conversation.js';
import { closeCodesOf, openDoc, type SyncedClient, whenSynced } from '../../testing/synced-client.js';
import { createUser, type TestUser } from '../../testing/test-users.js';
import { waitFor } from '../../testing/wait-for.js';
import { useTestServer } from '../../testing/use-test-server.js';

const test = useTestServer();

/** A device: one replica (its Y.Doc and client id live on across reconnects, as in an open tab) and the close codes it saw. */
interface Device {
  user: TestUser;
  doc: Y.Doc;
  /** Close codes seen by each connection the device made. */
  codes: number[][];
  client: SyncedClient | null;
}

const devices: Device[] = [];

afterEach(() => {
  for (const device of devices.splice(0)) {
    device.client?.provider.destroy();
    device.doc.destroy();
  }
});

function connect(device: Device, docName: string): SyncedClient {
  const client = openDoc(test.server, device.user, docName, device.doc);
  device.codes.push(closeCodesOf(client));
  device.client = client;
  return client;
}

/** Disconnects a device without losing its replica (the server is about to stop). */
function disconnect(device: Device): void {
  device.client?.provider.destroy();
  device.client = null;
}

function device(user: TestUser): Device {
  const created: Device = { user, doc: new Y.Doc(), codes: [], client: null };
  devices.push(created);
  return created;
}

const delivered = (doc: Y.Doc, ids: readonly string[]) => () => ids.every((id) => seqIndexOf(doc).has(id));

/** Every message of `doc` has a number; the numbers are 1..n, each once. */
function expectGapFreeNumbers(doc: Y.Doc): void {
  const ids = [...messagesOf(doc).keys()];
  expect(ids.filter((id) => !seqIndexOf(doc).has(id))).toEqual([]);
  const numbers = [...seqIndexOf(doc).values()].sort((a, b) => a - b);
  expect(numbers).toEqual(numbers.map((_, i) => i + 1));
}

describe('healing after the store was restored from an older backup', () => {
  it('the devices put back what they hold; nobody is refused; numbers stay unique and gap-free', { timeout: 60_000 }, async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const docName = convDocName(await directConversation(test.server, alice, bob));
    const [alicePhone, bobLaptop] = [device(alice), device(bob)];
    connect(alicePhone, docName);
    connect(bobLaptop, docName);
    const before = [
      writeMessage(alicePhone.doc, alice.id, 'a1'),
      writeMessage(bobLaptop.doc, bob.id, 'b1'),
      writeMessage(alicePhone.doc, alice.id, 'a2'),
    ];
    await waitFor(
      [alicePhone.doc, bobLaptop.doc],
      () =>
        delivered(
          alicePhone.doc,
          before.map((m) => m.id),
        )() &&
        delivered(
          bobLaptop.doc,
          before.map((m) => m.id),
        )(),
      10_000,
      'the first messages',
    );

    // The backup: a copy of DATA_DIR taken while the server is stopped.
    const backup = path.join(path.dirname(test.dataDir), `${path.basename(test.dataDir)}-backup`);
    disconnect(alicePhone);
    disconnect(bobLaptop);
    await test.restart({}, () => cp(test.dataDir, backup, { recursive: true }));
    try {
      connect(alicePhone, docName);
      connect(bobLaptop, docName);
      // What the backup will not hold: messages, an edit, a removal, a reaction, a read marker, and
      // a message from Alice's second page load, whose client id was bound only after the backup.
      const lost: Message[] = [];
      lost.push(writeMessage(alicePhone.doc, alice.id, 'a3'), writeMessage(bobLaptop.doc, bob.id, 'b2'));
      const reloaded = device(alice);
      connect(reloaded, docName);
      await whenSynced(reloaded.client as SyncedClient);
      lost.push(writeMessage(reloaded.doc, alice.id, 'a4 from a second page load'));
      lost.push(writeMessage(bobLaptop.doc, bob.id, 'b3'), writeMessage(alicePhone.doc, alice.id, 'a5'));
      const ids = [...before, ...lost].map((m) => m.id);
      await waitFor(
        [alicePhone.doc, bobLaptop.doc],
        () => delivered(alicePhone.doc, ids)() && delivered(bobLaptop.doc, ids)(),
        10_000,
        'the lost messages',
      );
      messagesOf(bobLaptop.doc).set(before[1].id, { ...before[1], text: 'b1 (edited)', editedAt: Date.now() });
      messagesOf(alicePhone.doc).delete(lost[4].id);
      reactionsOf(bobLaptop.doc).set(reactionKey(lost[0].id, '👍', bob.id), true);
      readsOf(alicePhone.doc).set(alice.id, 7);
      await waitFor(
        [alicePhone.doc, bobLaptop.doc],
        () =>
          readsOf(bobLaptop.doc).get(alice.id) === 7 &&
          reactionsOf(alicePhone.doc).size === 1 &&
          !messagesOf(bobLaptop.doc).has(lost[4].id) &&
          messagesOf(alicePhone.doc).get(before[1].id)?.text === 'b1 (edited)',
        10_000,
        'the later changes',
      );
      const numbersBefore = new Map(seqIndexOf(alicePhone.doc).entries());
      for (const each of [alicePhone, bobLaptop, reloaded]) disconnect(each);

      // Restore the older copy; start again.
      await test.restart({}, async () => {
        await rm(test.dataDir, { recursive: true, force: true });
        await mkdir(test.dataDir);
        await cp(backup, test.dataDir, { recursive: true });
      });
      // Someone writes before the devices are back: the next number the relay knows is taken again.
      const newcomer = await openRawSession(test.server, bob, docName);
      await newcomer.synced;
      expect(messagesOf(newcomer.doc).has(lost[0].id)).toBe(false);
      const written: Message[] = [];
      newcomer.write((doc) => written.push(writeMessage(doc, bob.id, 'written right after the restore')));
      const [fresh] = written;
      await waitFor(newcomer.doc, () => seqIndexOf(newcomer.doc).has(fresh.id), 10_000, 'a number for the new message');
      newcomer.close();

      // The devices (not the second page load: that tab is gone) reconnect.
      connect(alicePhone, docName);
      connect(bobLaptop, docName);
      const expected = [...messagesOf(alicePhone.doc).keys(), fresh.id].sort();
      const relay = await openRawSession(test.server, alice, docName);
      await relay.synced;
      const all = [alicePhone.doc, bobLaptop.doc, relay.doc];
      await waitFor(
        all,
        () =>
          all.every(
            (doc) =>
              [...messagesOf(doc).keys()].sort().join() === expected.join() &&
              delivered(doc, expected)() &&
              messagesOf(doc).get(before[1].id)?.text === 'b1 (edited)' &&
              reactionsOf(doc).size === 1 &&
              readsOf(doc).get(alice.id) === 7,
          ),
        20_000,
        'every replica and the relay with every message',
      );
      for (const doc of all) {
        expectGapFreeNumbers(doc);
        expect(Object.fromEntries(seqIndexOf(doc).entries())).toEqual(Object.fromEntries(seqIndexOf(relay.doc).entries()));
      }
      // A number is kept where it still fits; the one the new message took again moved to the end.
      const renumbered = [...numbersBefore].filter(([id, number]) => seqIndexOf(relay.doc).get(id) !== number).map(([id]) => id);
      expect(renumbered.length).toBeLessThanOrEqual(1);
      relay.close();
      expect([...alicePhone.codes, ...bobLaptop.codes].flat()).not.toContain(CloseCode.invalidUpdate);

      // Healed ids are their owners' again: Bob cannot write under the client id of Alice's second page load.
      const intruder = await openRawSession(test.server, bob, docName);
      await intruder.synced;
      intruder.doc.clientID = reloaded.doc.clientID;
      intruder.write((doc) => writeMessage(doc, bob.id, 'under her old id'));
      expect(await intruder.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: foreign-client-id' });
    } finally {
      await rm(backup, { recursive: true, force: true });
    }
  });
});
