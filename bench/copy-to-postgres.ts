/**
 * `npx tsx bench/copy-to-postgres.ts [documents] [messages per document]`:
 * how long `npm run admin -- copy-to-postgres` takes on a store of that size
 * (each message one log entry and indexed for search, as the server stores
 * them, plus a person per ten documents), built in a temp dir and copied
 * into a fresh schema of TEST_DATABASE_URL (dropped after). Figures for
 * docs/OPERATIONS.md; not part of `npm run bench`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { indexTerms } from '../shared/search-tokens.js';
import { MessageIndexStore } from '../sync-server/search/message-index-store.js';
import { Database } from '../sync-server/store/database.js';
import { LevelDocumentLog } from '../sync-server/store/level-document-log.js';
import { copyToPostgres } from '../sync-server/store/postgres/copy-to-postgres.js';
import { DEFAULT_POSTGRES, openPool } from '../sync-server/store/postgres/pool.js';

const DOCS = Number(process.argv[2] ?? 1000);
const MESSAGES = Number(process.argv[3] ?? 100);
const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_copy_${process.pid}`;
const quiet = { info() {}, warn() {}, error() {} };
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-copy-'));
const db = await Database.open(dir, { log: quiet });
const log = new LevelDocumentLog(db);
const search = new MessageIndexStore(db);

let t = performance.now();
for (let d = 0; d < DOCS; d++) {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const indexed = [];
  for (let i = 0; i < MESSAGES; i++) {
    const text = `message ${i} of conversation ${d}: the lighthouse keeper writes again`;
    doc.getMap('messages').set(`m${i}`, { id: `m${i}`, author: `u${d % 100}`, text, createdAt: 1_700_000_000_000 + i });
    indexed.push({
      messageId: `m${i}`,
      author: `u${d % 100}`,
      text,
      createdAt: 1_700_000_000_000 + i,
      seq: i + 1,
      terms: indexTerms(text),
    });
  }
  await log.append(`conv/c${d}`, { updates, clientOwners: [[doc.clientID, `u${d % 100}`]] }, 0);
  await search.applyAll([{ conversationId: `c${d}`, put: indexed, remove: [] }]);
  doc.destroy();
}
for (let u = 0; u < DOCS / 10; u++) {
  await db.users.put(`u${u}`, {
    id: `u${u}`,
    name: `Person ${u}`,
    email: `p${u}@example.com`,
    passwordHash: 'x',
    activated: true,
    createdAt: 1,
  });
}
console.log(`built ${DOCS} documents x ${MESSAGES} messages in ${(performance.now() - t).toFixed(0)} ms`);

const pool = openPool({ ...DEFAULT_POSTGRES, url, schema });
try {
  t = performance.now();
  const report = await copyToPostgres(db, dir, pool, schema);
  const ms = performance.now() - t;
  const rows = report.counts.reduce((sum, c) => sum + c.postgres, 0);
  console.log(`${report.outcome}: ${rows} rows (${report.counts.map((c) => `${c.table} ${c.postgres}`).join(', ')})`);
  console.log(`copy and verification: ${(ms / 1000).toFixed(1)} s, ${Math.round(rows / (ms / 1000))} rows/s, ${report.messages} messages`);
  const { rows: size } = await pool.query<{ bytes: string }>(
    'SELECT sum(pg_total_relation_size(quote_ident(table_schema) || $2 || quote_ident(table_name)))::bigint AS bytes FROM information_schema.tables WHERE table_schema = $1',
    [schema, '.'],
  );
  console.log(`PostgreSQL holds ${(Number(size[0].bytes) / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
