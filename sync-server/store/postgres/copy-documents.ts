/**
 * Every document's log copied from the embedded store into the cluster's
 * (`doc`, `doc_update`, `doc_client_owner`, migrations/001_document_log.sql),
 * and read back for the verification. The log is copied as it is stored:
 * each entry at its own clock (a compacted log starts where its merged entry
 * is, as in both stores), the bytes untouched, each client id's owner as the
 * relay recorded it. `next_clock` is the clock after the last entry, as
 * LevelDB's `load` makes it, so the first append in the cluster continues
 * the log; no relay owns the document and its epoch is 0, so the first claim
 * is epoch 1. The `seq` numbers live inside the documents (docs/SEQ.md):
 * with the bytes unchanged, the sequencer of the relay that claims a
 * conversation finds the same highest number and goes on from it.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import * as Y from 'yjs';
import { messagesOf } from '../../../shared/schema.js';
import type { Database } from '../database.js';
import { KEY_SEPARATOR, logRange, parseLogKey, prefixRange } from '../keys.js';
import { RowWriter } from './copy-rows.js';

export interface DocumentsCopied {
  documents: number;
  entries: number;
  bytes: number;
}

/** The documents in the store and the clock after each one's last entry (0 for a document with client owners only). */
async function documentNames(db: Database): Promise<Map<string, number>> {
  const nextClocks = new Map<string, number>();
  for await (const key of db.docs.keys()) {
    const parsed = parseLogKey(key);
    if (!parsed) throw new Error(`a document log key of an unknown shape: ${JSON.stringify(key)}`);
    nextClocks.set(parsed.docName, Math.max(nextClocks.get(parsed.docName) ?? 0, parsed.clock + 1));
  }
  for await (const key of db.clientOwners.keys()) {
    const docName = key.slice(0, key.lastIndexOf(KEY_SEPARATOR));
    if (!nextClocks.has(docName)) nextClocks.set(docName, 0);
  }
  return nextClocks;
}

export async function copyDocuments(db: Database, client: pg.ClientBase): Promise<DocumentsCopied> {
  const nextClocks = await documentNames(db);
  const docs = new RowWriter(client, 'doc', [
    { name: 'name', type: 'text' },
    { name: 'next_clock', type: 'bigint' },
  ]);
  for (const [name, nextClock] of nextClocks) await docs.add([name, nextClock]);
  // The document rows first: the entries and owners refer to them.
  await docs.flush();

  const entries = new RowWriter(client, 'doc_update', [
    { name: 'name', type: 'text' },
    { name: 'clock', type: 'bigint' },
    { name: 'update', type: 'bytea' },
  ]);
  let bytes = 0;
  for await (const [key, update] of db.docs.iterator()) {
    const parsed = parseLogKey(key);
    if (!parsed) throw new Error(`a document log key of an unknown shape: ${JSON.stringify(key)}`);
    bytes += update.byteLength;
    await entries.add([parsed.docName, parsed.clock, update], update.byteLength);
  }
  await entries.flush();

  const owners = new RowWriter(client, 'doc_client_owner', [
    { name: 'name', type: 'text' },
    { name: 'client_id', type: 'bigint' },
    { name: 'user_id', type: 'text' },
  ]);
  for await (const [key, userId] of db.clientOwners.iterator()) {
    const at = key.lastIndexOf(KEY_SEPARATOR);
    await owners.add([key.slice(0, at), Number(key.slice(at + 1)), userId]);
  }
  await owners.flush();
  return { documents: docs.written, entries: entries.written, bytes };
}

export interface DocumentsVerified {
  documents: number;
  /** Messages in the conversations (and their segments), read from PostgreSQL's copy. */
  messages: number;
  /** SHA-256 over every document's name, entries and owners, read from PostgreSQL: equal to LevelDB's, else the check failed. */
  digest: string;
  /** What differs, one line per document (empty: every document is identical). */
  differences: string[];
}

/** One document as a store holds it: its entries by clock, its owners, and the clock of its next append. */
interface StoredLog {
  entries: Array<[clock: number, update: Uint8Array]>;
  owners: Array<[clientId: number, userId: string]>;
  nextClock: number;
}

async function levelLog(db: Database, docName: string): Promise<StoredLog> {
  const entries: StoredLog['entries'] = [];
  for await (const [key, update] of db.docs.iterator(logRange(docName))) {
    entries.push([parseLogKey(key)?.clock ?? -1, update]);
  }
  const owners: StoredLog['owners'] = [];
  const prefix = docName + KEY_SEPARATOR;
  for await (const [key, userId] of db.clientOwners.iterator(prefixRange(prefix))) owners.push([Number(key.slice(prefix.length)), userId]);
  owners.sort((a, b) => a[0] - b[0]);
  return { entries, owners, nextClock: (entries.at(-1)?.[0] ?? -1) + 1 };
}

async function postgresLog(client: pg.ClientBase, docName: string): Promise<StoredLog | undefined> {
  const doc = await client.query<{ next_clock: string; epoch: string; owner: string | null }>(
    'SELECT next_clock, epoch, owner FROM doc WHERE name = $1',
    [docName],
  );
  if (!doc.rows[0]) return undefined;
  const updates = await client.query<{ clock: string; update: Buffer }>(
    'SELECT clock, update FROM doc_update WHERE name = $1 ORDER BY clock',
    [docName],
  );
  const owners = await client.query<{ client_id: string; user_id: string }>(
    'SELECT client_id, user_id FROM doc_client_owner WHERE name = $1 ORDER BY client_id',
    [docName],
  );
  return {
    entries: updates.rows.map((row) => [Number(row.clock), new Uint8Array(row.update)]),
    owners: owners.rows.map((row) => [Number(row.client_id), row.user_id]),
    nextClock: Number(doc.rows[0].next_clock),
  };
}

function feed(hash: ReturnType<typeof createHash>, docName: string, log: StoredLog): void {
  hash.update(`doc ${docName} ${log.nextClock}\n`);
  for (const [clock, update] of log.entries) hash.update(`${clock} ${update.byteLength}\n`).update(update);
  for (const [clientId, userId] of log.owners) hash.update(`owner ${clientId} ${userId}\n`);
}

/** What differs between two copies of one document's log, or null when they are the same. */
function differenceOf(level: StoredLog, copy: StoredLog): string | null {
  if (level.nextClock !== copy.nextClock) return `next clock ${copy.nextClock}, LevelDB's is ${level.nextClock}`;
  if (level.entries.length !== copy.entries.length) return `${copy.entries.length} entries, LevelDB holds ${level.entries.length}`;
  for (const [i, [clock, update]] of level.entries.entries()) {
    const [copyClock, copyUpdate] = copy.entries[i];
    if (clock !== copyClock || Buffer.compare(Buffer.from(update), Buffer.from(copyUpdate)) !== 0) return `entry at clock ${clock} differs`;
  }
  if (JSON.stringify(level.owners) !== JSON.stringify(copy.owners)) return 'client owners differ';
  return null;
}

/** The messages of a conversation document read from its log (0 for other documents and for a log that does not decode). */
function messagesIn(docName: string, log: StoredLog): number {
  if (!docName.startsWith('conv/') || log.entries.length === 0) return 0;
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, Y.mergeUpdates(log.entries.map(([, update]) => update)));
    return messagesOf(doc).size;
  } catch {
    return 0;
  } finally {
    doc.destroy();
  }
}

/**
 * Reads every document back from PostgreSQL (in the copy's transaction) and
 * compares it with LevelDB's, read afresh: same entries at the same clocks,
 * byte for byte, the same owners, the same next clock; no relay owns it yet.
 */
export async function verifyDocuments(db: Database, client: pg.ClientBase): Promise<DocumentsVerified> {
  const names = [...(await documentNames(db)).keys()].sort();
  const levelHash = createHash('sha256');
  const copyHash = createHash('sha256');
  const differences: string[] = [];
  let messages = 0;
  for (const docName of names) {
    const level = await levelLog(db, docName);
    const copy = await postgresLog(client, docName);
    if (!copy) {
      differences.push(`${docName}: missing in PostgreSQL`);
      continue;
    }
    feed(levelHash, docName, level);
    feed(copyHash, docName, copy);
    const difference = differenceOf(level, copy);
    if (difference) differences.push(`${docName}: ${difference}`);
    messages += messagesIn(docName, copy);
  }
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM doc WHERE owner IS NOT NULL OR epoch <> 0');
  if (rows[0].n > 0) differences.push(`${rows[0].n} documents already owned by a relay`);
  const digest = copyHash.digest('hex');
  if (levelHash.digest('hex') !== digest && differences.length === 0) differences.push('the digests of the two stores differ');
  return { documents: names.length, messages, digest, differences };
}
