/**
 * The group commit of the PostgreSQL document log (group-append.ts) against
 * a real PostgreSQL: the appends of many rooms that arrive in one turn are
 * one transaction, and each room's batch is still fenced on its own, so a
 * room whose document another relay claimed (or whose clock is stale) is
 * refused alone while the others in the same transaction are stored.
 * Transactions are counted by PostgreSQL itself: rows written by one
 * transaction carry the same `xmin`.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { RoomHarness } from '../../testing/room-harness.js';
import { useTestSchema } from '../../testing/use-test-schema.js';
import type { AppendOutcome } from '../document-log.js';
import { PostgresDocumentLog } from './postgres-document-log.js';
import { ProcessLease } from './process-lease.js';

const pg = useTestSchema({ each: true });
const leases: ProcessLease[] = [];

afterEach(() => {
  for (const lease of leases.splice(0)) lease.stop();
});

async function relayProcess(groupsInFlight?: number): Promise<{ log: PostgresDocumentLog; lease: ProcessLease }> {
  const lease = await ProcessLease.start(pg.pool, { leaseMs: 30_000 });
  leases.push(lease);
  return { log: new PostgresDocumentLog(pg.pool, lease, groupsInFlight), lease };
}

/** Holds `name`'s `doc` row in a transaction of its own, so a group that moves it waits in PostgreSQL (a slow commit). */
async function holdRow(name: string): Promise<{ release(): Promise<void> }> {
  const blocker = await pg.pool.connect();
  await blocker.query('BEGIN');
  await blocker.query('SELECT 1 FROM doc WHERE name = $1 FOR UPDATE', [name]);
  return {
    async release() {
      await blocker.query('COMMIT');
      blocker.release();
    },
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function mapUpdate(key: string, value: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

function mapOf(update: Uint8Array): Record<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
}

/** The transactions (by `xmin`) that wrote the log rows of these documents. */
async function writersOf(names: readonly string[]): Promise<Map<string, string[]>> {
  const { rows } = await pg.pool.query<{ name: string; tx: string }>(
    'SELECT DISTINCT name, xmin::text AS tx FROM doc_update WHERE name = ANY($1) ORDER BY name',
    [names],
  );
  const byName = new Map<string, string[]>();
  for (const { name, tx } of rows) byName.set(name, [...(byName.get(name) ?? []), tx]);
  return byName;
}

async function docRow(name: string): Promise<{ epoch: number; next_clock: number }> {
  const { rows } = await pg.pool.query('SELECT epoch::int, next_clock::int FROM doc WHERE name = $1', [name]);
  return rows[0];
}

it('refuses only the fenced room and the stale one of a group commit; the others in the same transaction are stored', async () => {
  const first = await relayProcess();
  const second = await relayProcess();
  const names = ['conv/a', 'conv/b', 'conv/claimed', 'conv/stale', 'conv/e'];
  for (const name of names) await first.log.load(name);
  // Another relay claims one document (what its claim's UPDATE does) while the first still thinks it owns it.
  await pg.pool.query('UPDATE doc SET owner = $2, epoch = epoch + 1 WHERE name = $1', ['conv/claimed', second.lease.id]);
  const groupsBefore = first.log.groups;

  // All five in one turn: one group. The stale one expects clock 3 where the log is at 0.
  const outcomes: Array<Promise<AppendOutcome>> = names.map((name, i) =>
    first.log.append(
      name,
      { updates: [mapUpdate(name, i), mapUpdate(`${name}+`, i)], clientOwners: [[100 + i, `user-${i}`]] },
      name === 'conv/stale' ? 3 : 0,
    ),
  );
  expect(await Promise.all(outcomes)).toEqual([
    { stored: true },
    { stored: true },
    { stored: false, nextClock: 0, fenced: true },
    { stored: false, nextClock: 0 },
    { stored: true },
  ]);
  expect(first.log.groups - groupsBefore).toBe(1);

  // The three stored rooms were written by one transaction; nothing of the refused two is stored.
  const writers = await writersOf(names);
  expect([...writers.keys()]).toEqual(['conv/a', 'conv/b', 'conv/e']);
  expect(new Set([...writers.values()].flat()).size).toBe(1);
  expect(await docRow('conv/claimed')).toEqual({ epoch: 2, next_clock: 0 });
  expect(await docRow('conv/stale')).toEqual({ epoch: 1, next_clock: 0 });
  const { rows: owners } = await pg.pool.query('SELECT name, client_id::int FROM doc_client_owner ORDER BY name');
  expect(owners).toEqual([
    { name: 'conv/a', client_id: 100 },
    { name: 'conv/b', client_id: 101 },
    { name: 'conv/e', client_id: 104 },
  ]);

  // The new owner writes the claimed document from where it is; the first relay's rooms go on.
  await second.log.load('conv/claimed');
  expect(await second.log.append('conv/claimed', { updates: [mapUpdate('new owner', 1)], clientOwners: [] }, 0)).toEqual({ stored: true });
  expect(await first.log.append('conv/a', { updates: [mapUpdate('next', 1)], clientOwners: [] }, 2)).toEqual({ stored: true });
  const a = await first.log.load('conv/a');
  expect(mapOf(a.update)).toEqual({ 'conv/a': 0, 'conv/a+': 0, next: 1 });
  expect(a).toMatchObject({ entries: 3, nextClock: 3 });
  expect(mapOf((await second.log.load('conv/claimed')).update)).toEqual({ 'new owner': 1 });
});

it('writes the batches of ten rooms that arrive in one turn in one transaction, each at its own clocks', async () => {
  const { log } = await relayProcess();
  const names = Array.from({ length: 10 }, (_, i) => `conv/room-${i}`);
  for (const name of names) await log.load(name);
  expect(await Promise.all(names.map((name) => log.append(name, { updates: [mapUpdate('first', 1)], clientOwners: [] }, 0)))).toEqual(
    names.map(() => ({ stored: true })),
  );
  const groupsBefore = log.groups;
  const appendsBefore = log.appends;

  const outcomes = await Promise.all(
    names.map((name, i) => log.append(name, { updates: [mapUpdate('a', i), mapUpdate('b', i)], clientOwners: [[i + 1, `user-${i}`]] }, 1)),
  );
  expect(outcomes).toEqual(names.map(() => ({ stored: true })));
  expect(log.groups - groupsBefore).toBe(1);
  expect(log.appends - appendsBefore).toBe(10);
  // PostgreSQL's own count: every row of the second round carries the same transaction id.
  const { rows } = await pg.pool.query<{ transactions: number; rows: number }>(
    'SELECT count(DISTINCT xmin::text)::int AS transactions, count(*)::int AS rows FROM doc_update WHERE clock >= 1',
  );
  expect(rows[0]).toEqual({ transactions: 1, rows: 20 });
  for (const [i, name] of names.entries()) {
    const stored = await log.load(name);
    expect(mapOf(stored.update)).toEqual({ first: 1, a: i, b: i });
    expect(stored).toMatchObject({ entries: 3, nextClock: 3 });
    expect([...stored.clientOwners]).toEqual([[i + 1, `user-${i}`]]);
  }
});

it('stores every update of a group byte for byte at its clock, whatever its bytes, size or place in its buffer', async () => {
  const first = await relayProcess();
  const second = await relayProcess();
  const names = ['conv/small', 'conv/claimed', 'conv/large', 'conv/offset'];
  for (const name of names) await first.log.load(name);
  // The claimed room's updates are in the group's bytes too, between the others', and must shift nobody's.
  await pg.pool.query('UPDATE doc SET owner = $2, epoch = epoch + 1 WHERE name = $1', ['conv/claimed', second.lease.id]);
  // Bytes a text literal would have had to escape (quotes, backslashes, braces, commas, zero), one of every value,
  // a large update, and views into a larger buffer at an offset.
  const awkward = Uint8Array.from([0, 34, 92, 123, 125, 44, 0, 255]);
  const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
  const large = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251);
  const backing = Uint8Array.from({ length: 64 }, (_, i) => 200 - i);
  const views = [backing.subarray(3, 20), backing.subarray(40, 41)];
  const batches: Record<string, Uint8Array[]> = {
    'conv/small': [awkward, everyByte],
    'conv/claimed': [Uint8Array.from([9, 9, 9])],
    'conv/large': [large],
    'conv/offset': views,
  };
  const groupsBefore = first.log.groups;
  const outcomes = await Promise.all(names.map((name) => first.log.append(name, { updates: batches[name] ?? [], clientOwners: [] }, 0)));
  expect(outcomes.map((outcome) => outcome.stored)).toEqual([true, false, true, true]);
  expect(first.log.groups - groupsBefore).toBe(1);

  const { rows } = await pg.pool.query<{ name: string; clock: string; update: Buffer }>(
    'SELECT name, clock, update FROM doc_update WHERE name = ANY($1) ORDER BY name, clock',
    [names],
  );
  const stored = rows.map((row) => [row.name, Number(row.clock), [...row.update]]);
  const expected = ['conv/large', 'conv/offset', 'conv/small'].flatMap((name) =>
    (batches[name] ?? []).map((update, clock) => [name, clock, [...update]]),
  );
  expect(stored).toEqual(expected);
});

it('gathers what arrives while its one group commit is on its way into the next one (one group in flight): commits follow the load', async () => {
  const { log } = await relayProcess(1);
  const names = Array.from({ length: 6 }, (_, i) => `conv/room-${i}`);
  for (const name of names) await log.load(name);
  const groupsBefore = log.groups;
  // Hold the first room's row, so its group commit waits in PostgreSQL (as a slow commit would).
  const blocker = await pg.pool.connect();
  let outcomes: AppendOutcome[];
  try {
    await blocker.query('BEGIN');
    await blocker.query("SELECT 1 FROM doc WHERE name = 'conv/room-0' FOR UPDATE");
    const first = log.append(names[0], { updates: [mapUpdate('k', 0)], clientOwners: [] }, 0);
    // The group starts at the end of this turn.
    await new Promise((resolve) => setImmediate(resolve));
    // Five more, each in a turn of its own, while the first group is on its way.
    const later: Array<Promise<AppendOutcome>> = [];
    for (const name of names.slice(1)) {
      later.push(log.append(name, { updates: [mapUpdate('k', 1)], clientOwners: [] }, 0));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(log.groups - groupsBefore).toBe(1);
    await blocker.query('COMMIT');
    outcomes = await Promise.all([first, ...later]);
  } finally {
    blocker.release();
  }
  expect(outcomes).toEqual(names.map(() => ({ stored: true })));
  expect(log.groups - groupsBefore).toBe(2);
  const writers = await writersOf(names);
  expect(new Set(names.slice(1).flatMap((name) => writers.get(name) ?? [])).size).toBe(1);
  expect(writers.get(names[0])).not.toEqual(writers.get(names[1]));
});

it('closes only the rooms whose fence failed with 1013; rooms committed in the same transaction deliver', async () => {
  const first = await relayProcess();
  const second = await relayProcess();
  const names = ['conv/r0', 'conv/r1', 'conv/r2'];
  const rooms = await Promise.all(names.map((docName) => RoomHarness.open({ docName, store: first.log })));
  const writers = rooms.map((room) => room.connect('alice'));
  const readers = rooms.map((room) => room.connect('bob'));
  // Another relay claims the middle conversation while this one still runs its room.
  await pg.pool.query('UPDATE doc SET owner = $2, epoch = epoch + 1 WHERE name = $1', ['conv/r1', second.lease.id]);
  const groupsBefore = first.log.groups;

  // A message in each room in one turn: one group commit.
  const ids = writers.map((writer, i) => {
    let id = '';
    writer.change((doc) => {
      id = writeMessage(doc, 'alice', `hello ${i}`).id;
    });
    return id;
  });
  await Promise.all(rooms.map((room) => room.room.flushed()));
  expect(first.log.groups - groupsBefore).toBe(1);

  // The fenced room: everyone closed with 1013, nobody saw the message, nothing stored.
  expect(writers[1].socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(readers[1].socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(rooms[1].failures).toEqual([rooms[1].room]);
  const sawFenced = new Y.Doc();
  for (const update of readers[1].socket.updates) Y.applyUpdate(sawFenced, update);
  expect(messagesOf(sawFenced).has(ids[1])).toBe(false);
  expect(await docRow('conv/r1')).toEqual({ epoch: 2, next_clock: 0 });

  // The others: stored, numbered 1, delivered, nobody closed.
  for (const i of [0, 2]) {
    expect(writers[i].socket.closeCodes).toEqual([]);
    expect(readers[i].socket.closeCodes).toEqual([]);
    expect(rooms[i].failures).toEqual([]);
    const saw = new Y.Doc();
    for (const update of readers[i].socket.updates) Y.applyUpdate(saw, update);
    expect(messagesOf(saw).get(ids[i])?.text).toBe(`hello ${i}`);
    const stored = await rooms[i].stored();
    expect(Object.fromEntries(seqIndexOf(stored).entries())).toEqual({ [ids[i]]: 1 });
  }
  for (const room of rooms) room.destroy();
});

it('fails every append of a group whose statement fails, stores nothing of it, and commits the next group', async () => {
  // What PostgreSQL out of reach does to a group, made here with text PostgreSQL refuses (a NUL byte): each room of
  // the group then fails as on any write error (1013), as each would have on a transaction of its own.
  const { log } = await relayProcess();
  for (const name of ['conv/a', 'conv/b']) await log.load(name);
  const outcomes = await Promise.allSettled([
    log.append('conv/a', { updates: [mapUpdate('a', 1)], clientOwners: [] }, 0),
    log.append('conv/b', { updates: [mapUpdate('b', 1)], clientOwners: [[7, 'bad\u0000id']] }, 0),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  expect(await writersOf(['conv/a', 'conv/b'])).toEqual(new Map());
  expect(await docRow('conv/a')).toEqual({ epoch: 1, next_clock: 0 });
  expect(await log.append('conv/a', { updates: [mapUpdate('a', 2)], clientOwners: [] }, 0)).toEqual({ stored: true });
  expect(mapOf((await log.load('conv/a')).update)).toEqual({ a: 2 });
});

it('commits the groups of later turns while an earlier group waits in PostgreSQL (groups in flight), each room still fenced', async () => {
  const first = await relayProcess(4);
  const second = await relayProcess();
  const { log } = first;
  const names = Array.from({ length: 6 }, (_, i) => `conv/room-${i}`);
  for (const name of names) await log.load(name);
  // Another relay claims one of the later rooms while this one still thinks it owns it.
  await pg.pool.query('UPDATE doc SET owner = $2, epoch = epoch + 1 WHERE name = $1', ['conv/room-3', second.lease.id]);
  const groupsBefore = log.groups;
  const held = await holdRow('conv/room-0');
  let firstAnswered = false;
  const firstAppend = log.append(names[0], { updates: [mapUpdate('k', 0)], clientOwners: [] }, 0).then((outcome) => {
    firstAnswered = true;
    return outcome;
  });
  await nextTurn();
  // Five more rooms, each in a turn of its own, while the first group is held: each goes at once, in a group of its own
  // (up to four on their way), and is answered while the first still waits.
  const later: AppendOutcome[] = [];
  for (const name of names.slice(1)) {
    const outcome = log.append(name, { updates: [mapUpdate('k', 1)], clientOwners: [] }, 0);
    await nextTurn();
    later.push(await outcome);
  }
  expect(firstAnswered).toBe(false);
  expect(later).toEqual([
    { stored: true },
    { stored: true },
    { stored: false, nextClock: 0, fenced: true },
    { stored: true },
    { stored: true },
  ]);
  expect(log.mostGroupsInFlight).toBe(2);
  await held.release();
  expect(await firstAppend).toEqual({ stored: true });
  expect(log.groups - groupsBefore).toBe(6);
  const writers = await writersOf(names);
  expect([...writers.keys()]).toEqual(['conv/room-0', 'conv/room-1', 'conv/room-2', 'conv/room-4', 'conv/room-5']);
  // Six rooms, five stored, five transactions.
  expect(new Set([...writers.values()].flat()).size).toBe(5);
  expect(await docRow('conv/room-3')).toEqual({ epoch: 2, next_clock: 0 });
});

it("keeps a document's next batch out of every other group while its batch is on its way: its batches commit in clock order", async () => {
  const { log } = await relayProcess(4);
  for (const name of ['conv/a', 'conv/b']) await log.load(name);
  const groupsBefore = log.groups;
  const held = await holdRow('conv/a');
  const order: string[] = [];
  const track = (label: string, outcome: Promise<AppendOutcome>) =>
    outcome.then((answer) => {
      order.push(label);
      return answer;
    });
  const a0 = track('a@0', log.append('conv/a', { updates: [mapUpdate('a0', 0)], clientOwners: [] }, 0));
  await nextTurn();
  // conv/a's next batch (as a reloaded room's would be, before the first is answered) and conv/b's, in one later turn:
  // conv/b goes at once; conv/a@1 waits for conv/a@0's group, and its fence then sees the clock that group moved.
  const a1 = track('a@1', log.append('conv/a', { updates: [mapUpdate('a1', 1)], clientOwners: [] }, 1));
  const b0 = track('b@0', log.append('conv/b', { updates: [mapUpdate('b', 0)], clientOwners: [] }, 0));
  expect(await b0).toEqual({ stored: true });
  expect(log.groups - groupsBefore).toBe(2);
  expect(order).toEqual(['b@0']);
  await held.release();
  expect(await Promise.all([a0, a1])).toEqual([{ stored: true }, { stored: true }]);
  expect(order).toEqual(['b@0', 'a@0', 'a@1']);
  expect(log.groups - groupsBefore).toBe(3);
  expect(await docRow('conv/a')).toEqual({ epoch: 1, next_clock: 2 });
  // Both batches kept (distinct keys: two documents' sets of one key resolve by client id, not by clock).
  expect(mapOf((await log.load('conv/a')).update)).toEqual({ a0: 0, a1: 1 });
  const { rows } = await pg.pool.query<{ clock: number; tx: string }>(
    "SELECT clock::int, xmin::text AS tx FROM doc_update WHERE name = 'conv/a' ORDER BY clock",
  );
  expect(rows.map((row) => row.clock)).toEqual([0, 1]);
  expect(rows[0].tx).not.toBe(rows[1].tx);
});

/** The transaction (`xmin`) and rev of a conversation's stored shared head. */
async function headRow(conversationId: string): Promise<{ tx: string; rev: number; preview: string } | undefined> {
  const { rows } = await pg.pool.query(
    "SELECT xmin::text AS tx, rev::int, head->>'preview' AS preview FROM shared_heads WHERE conversation_id = $1",
    [conversationId],
  );
  return rows[0];
}

const headJson = (preview: string) => JSON.stringify({ seq: 1, at: 1, author: 'u1', kind: 'text', preview });

it('stores a shared head with the group commit of its turn, in the same transaction, numbered from the sequence', async () => {
  const { log } = await relayProcess();
  for (const name of ['conv/a', 'conv/b']) await log.load(name);
  const groupsBefore = log.groups;

  // Two rooms' batches and two conversations' heads in one turn: one group, one transaction.
  const [a, b, headA, headB] = await Promise.all([
    log.append('conv/a', { updates: [mapUpdate('a', 1)], clientOwners: [] }, 0),
    log.append('conv/b', { updates: [mapUpdate('b', 1)], clientOwners: [] }, 0),
    log.rideHead('a', headJson('hello a')),
    log.rideHead('b', headJson('hello b')),
  ]);
  expect([a, b]).toEqual([{ stored: true }, { stored: true }]);
  expect(log.groups - groupsBefore).toBe(1);
  const writers = await writersOf(['conv/a', 'conv/b']);
  const groupTx = [...new Set([...writers.values()].flat())];
  expect(groupTx).toHaveLength(1);
  expect(await headRow('a')).toEqual({ tx: groupTx[0], rev: headA, preview: 'hello a' });
  expect(await headRow('b')).toEqual({ tx: groupTx[0], rev: headB, preview: 'hello b' });
  expect(new Set([headA, headB]).size).toBe(2);

  // The next head of a conversation is numbered above its last one, with the next group.
  const [, next] = await Promise.all([
    log.append('conv/a', { updates: [mapUpdate('a', 2)], clientOwners: [] }, 1),
    log.rideHead('a', headJson('again')),
  ]);
  expect(next).toBeGreaterThan(Math.max(headA ?? 0, headB ?? 0));
  expect(await headRow('a')).toMatchObject({ rev: next, preview: 'again' });
});

it('writes a head alone when no group comes, never over a later rev, and one jsonb refuses fails alone', async () => {
  const { log } = await relayProcess();
  await log.load('conv/a');

  // No append at all: the head goes alone after its wait.
  const alone = await log.rideHead('quiet', headJson('nobody else'));
  expect(await headRow('quiet')).toMatchObject({ rev: alone, preview: 'nobody else' });

  // Another relay stored a head numbered later (an owner handing over): it stays, and the rider is told so.
  await pg.pool.query("UPDATE shared_heads SET rev = rev + 1000, head = jsonb_set(head, '{preview}', '\"newer\"')");
  expect(await log.rideHead('quiet', headJson('older'))).toBeNull();
  expect(await headRow('quiet')).toMatchObject({ rev: (alone ?? 0) + 1000, preview: 'newer' });

  // A preview jsonb refuses (a NUL) in the same turn as a batch: the head fails, the batch is stored.
  const [stored, refusedHead] = await Promise.allSettled([
    log.append('conv/a', { updates: [mapUpdate('a', 1)], clientOwners: [] }, 0),
    log.rideHead('nul', headJson('bad \u0000 byte')),
  ]);
  expect(stored).toEqual({ status: 'fulfilled', value: { stored: true } });
  expect(refusedHead.status).toBe('rejected');
  expect(await headRow('nul')).toBeUndefined();
});

it('stores names, user ids and heads with quotes, backslashes, commas and braces as they are (its array parameters are literals it writes)', async () => {
  const { log } = await relayProcess();
  const names = ['conv/"quoted"', 'conv/back\\slash', 'conv/a,b{c}', 'conv/NULL'];
  for (const name of names) await log.load(name);
  const preview = 'say "hi" \\ back, {braces} and ünï 😀';
  const [stored, rev] = await Promise.all([
    Promise.all(
      names.map((name, i) => log.append(name, { updates: [mapUpdate(name, i)], clientOwners: [[7 + i, `user "${i}" \\ {x},y`]] }, 0)),
    ),
    log.rideHead('conv-"1"\\', headJson(preview)),
  ]);
  expect(stored).toEqual(names.map(() => ({ stored: true })));
  for (const [i, name] of names.entries()) {
    const { rows } = await pg.pool.query('SELECT update FROM doc_update WHERE name = $1', [name]);
    expect(rows.map((row) => mapOf(row.update))).toEqual([{ [name]: i }]);
    const owners = await pg.pool.query('SELECT client_id::int, user_id FROM doc_client_owner WHERE name = $1', [name]);
    expect(owners.rows).toEqual([{ client_id: 7 + i, user_id: `user "${i}" \\ {x},y` }]);
  }
  expect(await headRow('conv-"1"\\')).toMatchObject({ rev, preview });
});
