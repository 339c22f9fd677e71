/**
 * PostgreSQL's backend CPU per claim of a document (postgres-document-log.ts `load`), the function of
 * migrations/035_claim_document.sql against the transaction of seven statements it replaced (written out here as it
 * was), alternated in rounds on one connection; `synchronous_commit = off`, so the WAL flush's noise is out of both.
 *
 *   npx tsx bench/prototypes/pg-claim-cost.ts [claims per round, 1000] [rounds, 3]
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import * as Y from 'yjs';
import { migrate } from '../../sync-server/store/postgres/migrations.js';
import { DEFAULT_POSTGRES, inTransaction, openPool } from '../../sync-server/store/postgres/pool.js';
import { PostgresDocumentLog } from '../../sync-server/store/postgres/postgres-document-log.js';
import { ProcessLease } from '../../sync-server/store/postgres/process-lease.js';
import { freshSchemaName, TEST_DATABASE_URL } from '../../sync-server/testing/use-test-schema.js';

const claims = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);
const ENTRIES = 5;

/** The claim as a transaction of statements (before migration 035). */
async function claimByStatements(pool: pg.Pool, docName: string, me: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('INSERT INTO doc (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [docName]);
    const { rows } = await client.query<{ owner: string | null }>('SELECT owner FROM doc WHERE name = $1 FOR UPDATE', [docName]);
    if (rows[0].owner !== null && rows[0].owner !== me) {
      await client.query('SELECT lease_until > now() AS live FROM relay_process WHERE id = $1', [rows[0].owner]);
    }
    await client.query(
      `UPDATE doc SET owner = $2, epoch = epoch + 1
        WHERE name = $1 AND EXISTS (SELECT 1 FROM relay_process WHERE id = $2 AND lease_until > now())
       RETURNING epoch, next_clock`,
      [docName, me],
    );
    await client.query('SELECT update FROM doc_update WHERE name = $1 ORDER BY clock', [docName]);
    await client.query('SELECT client_id, user_id FROM doc_client_owner WHERE name = $1 ORDER BY client_id', [docName]);
  });
}

async function backendCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const schema = freshSchemaName();
const pool = openPool({ ...DEFAULT_POSTGRES, url: TEST_DATABASE_URL, schema, poolSize: 1 });
try {
  await migrate(pool, schema);
  await pool.query('SET synchronous_commit = off');
  const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const lease = await ProcessLease.start(pool, { leaseMs: 600_000 });
  const log = new PostgresDocumentLog(pool, lease);
  await log.load('user/a');
  for (let clock = 0; clock < ENTRIES; clock++) {
    const doc = new Y.Doc();
    doc.getMap('m').set(`k${clock}`, 'x'.repeat(150));
    await log.append('user/a', { updates: [Y.encodeStateAsUpdate(doc)], clientOwners: [[doc.clientID, 'a']] }, clock);
  }
  const ways: Record<string, () => Promise<unknown>> = {
    'seven statements': () => claimByStatements(pool, 'user/a', lease.id),
    'claim_document()': () => log.load('user/a'),
  };
  for (let round = 0; round < rounds; round++) {
    for (const [way, claim] of Object.entries(ways)) {
      for (let i = 0; i < 50; i++) await claim();
      const cpu = await backendCpuMs(pid);
      const started = process.hrtime.bigint();
      for (let i = 0; i < claims; i++) await claim();
      const wallUs = Number(process.hrtime.bigint() - started) / 1000 / claims;
      const cpuUs = ((await backendCpuMs(pid)) - cpu) * (1000 / claims);
      console.log(
        `round ${round + 1} ${way.padEnd(17)} backend CPU ${cpuUs.toFixed(0).padStart(4)} µs a claim, wall ${wallUs.toFixed(0)} µs`,
      );
    }
  }
  lease.stop();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
