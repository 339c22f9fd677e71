/**
 * Prototype for issue 11 (session 12): what the PostgreSQL search index's
 * write costs per message, counted so the figures do not depend on the
 * machine's load. It drives `PostgresMessageIndex.applyAll` (the index
 * write queue's call) with made-up chat (bench/scenarios/search-corpus.ts:
 * half English, half Chinese) in batches of `batch` messages spread over
 * `conversations` conversations, as the queue gathers them every 100 ms, on
 * one connection in a database of its own (`search_index_cost`), and reads
 * around the writes:
 *
 * - the WAL this database's blocks took (pg_walinspect, records whose block
 *   references name this database: other databases' writes on a shared
 *   server fall outside), by relation, and the WAL position's move;
 * - the rows each table took (`pg_stat_user_tables`, after
 *   `pg_stat_force_next_flush`);
 * - the statements the index sent;
 * - the backend's CPU (`/proc/<pid>/stat`, user + system; only where the
 *   script runs beside PostgreSQL, and then a time that the load inflates).
 *
 * Run with `npx tsx bench/prototypes/postgres-search-index-cost.ts [messages] [batch] [conversations] [corpus|load]`
 * (defaults 5,000, 60, 10 and corpus; `load` is the cluster bench's text). `DATABASE_URL` names the server (default the
 * tests' one); the database is made if missing, its schema fresh each run.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { indexTerms } from '../../shared/search-tokens.js';
import type { IndexChange, IndexedMessage } from '../../sync-server/search/message-index.js';
import { PostgresMessageIndex } from '../../sync-server/search/postgres-message-index.js';
import { migrate } from '../../sync-server/store/postgres/migrations.js';
import { DEFAULT_POSTGRES, openPool } from '../../sync-server/store/postgres/pool.js';
import { textFor } from '../load/messages.js';
import { messageText } from '../scenarios/search-corpus.js';

const messages = Number(process.argv[2] ?? 5_000);
const batch = Number(process.argv[3] ?? 60);
const conversationCount = Number(process.argv[4] ?? 10);
/** `corpus` (the search bench's chat) or `load` (the cluster bench's lines, bench/load/messages.ts: 16 words that repeat). */
const text = process.argv[5] ?? 'corpus';
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DATABASE = 'search_index_cost';
const SCHEMA = 'cost';

/** A seeded random source (mulberry32), so every run indexes the same text. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const admin = new pg.Client({ connectionString: server });
await admin.connect();
if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])).rowCount === 0) {
  await admin.query(`CREATE DATABASE ${DATABASE}`);
}
await admin.end();
const url = new URL(server);
url.pathname = `/${DATABASE}`;
const control = new pg.Client({ connectionString: url.toString() });
await control.connect();
await control.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
await control.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
const pool = openPool({ ...DEFAULT_POSTGRES, url: url.toString(), schema: SCHEMA, poolSize: 1 });
await migrate(pool, SCHEMA);
const index = new PostgresMessageIndex(pool);

const random = seeded(42);
const conversations = Array.from({ length: conversationCount }, (_, i) => `c${String(i).padStart(3, '0')}${'x'.repeat(16)}`);
const start = Date.UTC(2026, 11, 7);
const batches: IndexChange[][] = [];
let postings = 0;
for (let at = 0; at < messages; at += batch) {
  const byConversation = new Map<string, IndexedMessage[]>();
  for (let i = at; i < Math.min(messages, at + batch); i++) {
    const line = text === 'load' ? textFor(i) : messageText(random);
    const terms = indexTerms(line);
    postings += terms.length;
    const conversationId = conversations[Math.floor(random() * conversations.length)];
    const createdAt = start + i * 20;
    const message = {
      messageId: `${createdAt.toString(36)}-${String(i).padStart(12, '0')}`,
      author: 'u1',
      text: line,
      createdAt,
      seq: i,
      terms,
    };
    byConversation.set(conversationId, [...(byConversation.get(conversationId) ?? []), message]);
  }
  batches.push([...byConversation].map(([conversationId, put]) => ({ conversationId, put, remove: [] })));
}

// One connection: its backend is the one whose CPU is read.
const client = await pool.connect();
const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
client.release();
let statements = 0;
pool.on('connect', (connection) => {
  const query = connection.query.bind(connection);
  connection.query = ((...args: Parameters<typeof query>) => {
    statements++;
    return query(...args);
  }) as typeof connection.query;
});
// The connection already open: count its statements too.
{
  const connection = await pool.connect();
  const query = connection.query.bind(connection);
  connection.query = ((...args: Parameters<typeof query>) => {
    statements++;
    return query(...args);
  }) as typeof connection.query;
  connection.release();
}

const backendCpuMs = (): number | null => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, the 12th and 13th fields after the command, in clock ticks (100 a second here).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
};
const tables = async () => {
  await control.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await control.query<{ relname: string; ins: string; upd: string; del: string; hot: string }>(
    `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del, n_tup_hot_upd AS hot
     FROM pg_stat_user_tables WHERE schemaname = $1`,
    [SCHEMA],
  );
  return new Map(rows.map((row) => [row.relname, row]));
};

const lsn = async () => (await control.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn;
const tablesBefore = await tables();
const lsnBefore = await lsn();
const cpuBefore = backendCpuMs();
for (const changes of batches) await index.applyAll(changes, [{ docName: `conv/${changes[0].conversationId}`, nextClock: 1 }]);
const cpuAfter = backendCpuMs();
await pool.query('SELECT pg_stat_force_next_flush()');
const lsnAfter = await lsn();
await pool.end();
// The backend reports its counts as it exits: read until the records' inserts are in (bounded).
let tablesAfter = await tables();
for (let round = 0; round < 100 && Number(tablesAfter.get('search_messages')?.ins ?? 0) < messages; round++) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  tablesAfter = await tables();
}

const { rows: database } = await control.query<{ oid: number }>('SELECT oid FROM pg_database WHERE datname = current_database()');
const { rows: relations } = await control.query<{ relfilenode: string; relname: string }>(
  `SELECT c.relfilenode::text, coalesce(t.relname, c.relname) AS relname FROM pg_class c
   LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`,
  [SCHEMA],
);
const relationOf = new Map(relations.map((row) => [row.relfilenode, row.relname]));
const { rows: records } = await control.query<{ resource_manager: string; record_type: string; record_length: number; block_ref: string }>(
  `SELECT resource_manager, record_type, record_length, block_ref FROM pg_get_wal_records_info($1, $2)
   WHERE block_ref LIKE $3`,
  [lsnBefore, lsnAfter, `%rel 1663/${database[0].oid}/%`],
);
const walByTable = new Map<string, { bytes: number; records: number }>();
for (const record of records) {
  const node = /rel \d+\/\d+\/(\d+)/.exec(record.block_ref)?.[1] ?? '';
  const name = relationOf.get(node) ?? 'other';
  const kind = `${name} ${record.resource_manager}/${record.record_type}`;
  const entry = walByTable.get(kind) ?? { bytes: 0, records: 0 };
  entry.bytes += record.record_length;
  entry.records++;
  walByTable.set(kind, entry);
}
const { rows: moved } = await control.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS bytes', [lsnAfter, lsnBefore]);
await control.end();

const perMessage = (value: number) => Math.round((value / messages) * 10) / 10;
const walOurs = records.reduce((sum, record) => sum + record.record_length, 0);
console.log(`${messages} messages in batches of ${batch} over ${conversationCount} conversations, ${perMessage(postings)} terms a message`);
console.log(
  `WAL of this database's blocks: ${perMessage(walOurs)} B a message (the WAL position moved ${perMessage(Number(moved[0].bytes))} B a message, every database)`,
);
for (const [kind, { bytes, records: count }] of [...walByTable].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`  ${kind}: ${perMessage(bytes)} B, ${perMessage(count)} records a message`);
}
for (const [name, after] of tablesAfter) {
  if (!name.startsWith('search_')) continue;
  const before = tablesBefore.get(name);
  const delta = (field: 'ins' | 'upd' | 'del' | 'hot') => Number(after[field]) - Number(before?.[field] ?? 0);
  console.log(
    `  ${name}: ${perMessage(delta('ins'))} inserts, ${perMessage(delta('upd'))} updates (${perMessage(delta('hot'))} HOT), ${perMessage(delta('del'))} deletes a message`,
  );
}
console.log(`statements: ${perMessage(statements)} a message (${statements} for ${batches.length} writes)`);
if (cpuBefore !== null && cpuAfter !== null) {
  console.log(
    `backend CPU: ${Math.round(((cpuAfter - cpuBefore) * 1000) / messages)} µs a message (${cpuAfter - cpuBefore} ms; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`,
  );
}
