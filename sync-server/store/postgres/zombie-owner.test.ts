/**
 * A zombie owner (issue 11, test 4, in one process): a relay paused past its
 * lease while another claims its document, then woken up. Real rooms over
 * the real PostgreSQL log: the zombie's first commit is fenced, its room
 * fails as on a write error (everyone closed with 1013, the room given up),
 * nobody sees its change, and the log holds exactly what the new owner and
 * the zombie (before its pause) stored, numbered 1, 2 without a gap.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { RoomHarness } from '../../testing/room-harness.js';
import { useTestSchema } from '../../testing/use-test-schema.js';
import { PostgresDocumentLog } from './postgres-document-log.js';
import { ProcessLease } from './process-lease.js';

const pg = useTestSchema();
const leases: ProcessLease[] = [];

afterEach(() => {
  for (const lease of leases.splice(0)) lease.stop();
});

async function relayLog(leaseMs: number): Promise<{ log: PostgresDocumentLog; lease: ProcessLease }> {
  const lease = await ProcessLease.start(pg.pool, { leaseMs });
  leases.push(lease);
  return { log: new PostgresDocumentLog(pg.pool, lease), lease };
}

/** The document as PostgreSQL holds it, read without claiming it. */
async function storedDoc(name: string): Promise<Y.Doc> {
  const { rows } = await pg.pool.query<{ update: Buffer }>('SELECT update FROM doc_update WHERE name = $1 ORDER BY clock', [name]);
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.update));
  return doc;
}

/** Resolves once PostgreSQL's clock has passed the lease (polled, bounded). */
async function leaseExpired(lease: ProcessLease): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { rows } = await pg.pool.query<{ expired: boolean }>('SELECT lease_until <= now() AS expired FROM relay_process WHERE id = $1', [
      lease.id,
    ]);
    if (rows[0]?.expired) return;
    if (Date.now() > deadline) throw new Error('the lease did not run out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("fences a paused owner's first commit after another relay claimed its document: 1013, nothing of it stored or seen", async () => {
  const docName = 'conv/zombie';
  const zombie = await relayLog(300);
  const oldRoom = await RoomHarness.open({ docName, store: zombie.log });
  const alice = oldRoom.connect('alice');
  const carol = oldRoom.connect('carol');
  let first = '';
  alice.change((doc) => {
    first = writeMessage(doc, 'alice', 'before the pause').id;
  });
  await oldRoom.room.flushed();

  // The zombie's process stops renewing (SIGSTOP, a long GC pause); another relay claims once PostgreSQL says the lease ran out.
  zombie.lease.stop();
  await leaseExpired(zombie.lease);
  const owner = await relayLog(30_000);
  const newRoom = await RoomHarness.open({ docName, store: owner.log });
  // The zombie wakes up and takes a change before the new owner wrote anything: the clock still matches, only the epoch fences it.
  let fenced = '';
  alice.change((doc) => {
    fenced = writeMessage(doc, 'alice', 'from the zombie').id;
  });
  await oldRoom.room.flushed();
  expect(alice.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(carol.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(oldRoom.failures).toEqual([oldRoom.room]);
  const carolSaw = new Y.Doc();
  for (const update of carol.socket.updates) Y.applyUpdate(carolSaw, update);
  expect(messagesOf(carolSaw).has(fenced)).toBe(false);

  // The new owner goes on from where the log is.
  const bob = newRoom.connect('bob');
  let second = '';
  bob.change((doc) => {
    second = writeMessage(doc, 'bob', 'from the new owner').id;
  });
  await newRoom.room.flushed();

  const stored = await storedDoc(docName);
  expect([...messagesOf(stored).keys()].sort()).toEqual([first, second].sort());
  expect(Object.fromEntries(seqIndexOf(stored).entries())).toEqual({ [first]: 1, [second]: 2 });
  expect(bob.socket.closeCodes).toEqual([]);
  oldRoom.destroy();
  newRoom.destroy();
});
