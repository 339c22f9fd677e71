/**
 * `npm run admin -- copy-to-postgres`: moves an embedded installation
 * (DATA_DIR's LevelDB and pictures) into an empty PostgreSQL database for a
 * cluster (docs/OPERATIONS.md, "Moving to PostgreSQL").
 *
 * All or nothing: everything is written in one transaction, which first
 * locks every table (a relay started meanwhile waits, then finds the
 * database full), then verified inside it (every table's rows counted
 * against its sublevel's keys, read afresh; every document read back and
 * compared with LevelDB's, byte for byte), and committed only if nothing
 * differs. A failure or an interruption leaves the database as empty as it
 * was, so the copy is simply run again. Refused unless every table is
 * empty, and unless the store holds only sublevels it knows
 * (copy-sources.ts).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Database } from '../database.js';
import { copyDocuments, verifyDocuments } from './copy-documents.js';
import { copyBlobs } from './copy-blobs.js';
import { copyRecords } from './copy-records.js';
import { COPIED_TABLES, keysIn, LEFT_BEHIND, unknownSublevels } from './copy-sources.js';
import { MessageIndexStore } from '../../search/message-index-store.js';
import { migrate } from './migrations.js';
import { checkedSchema, inTransaction } from './pool.js';

export interface TableCount {
  table: string;
  /** Keys of its sublevel in LevelDB, counted after the copy. */
  level: number;
  /** Rows in PostgreSQL, counted in the copy's transaction. */
  postgres: number;
}

export interface CopyReport {
  outcome: 'committed' | 'refused' | 'rolled-back';
  /** Why it was refused or rolled back. */
  reasons: string[];
  counts: TableCount[];
  documents: number;
  /** Messages in the copied conversations, read from PostgreSQL's copy. */
  messages: number;
  /** SHA-256 of every document's log (names, clocks, bytes, owners) as PostgreSQL holds it. */
  digest: string;
  blobBytes: number;
  /** Sublevels left in DATA_DIR with the reason. */
  leftBehind: string[];
  ms: number;
}

/** Thrown inside the transaction to roll it back with what was found. */
class CopyAborted extends Error {
  constructor(
    readonly outcome: 'refused' | 'rolled-back',
    readonly reasons: string[],
  ) {
    super(reasons.join('; '));
  }
}

/** The tables of the schema that hold rows (the migrations' own record aside). */
async function tablesWithRows(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name`,
    [schema],
  );
  const full: string[] = [];
  for (const { table_name } of rows) {
    const found = await client.query(`SELECT 1 FROM "${schema}"."${table_name}" LIMIT 1`);
    if (found.rowCount) full.push(table_name);
  }
  return full;
}

/** Locks every table of the schema for the transaction: no relay reads or writes until it ends. */
async function lockTables(client: pg.ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
    [schema],
  );
  const names = rows.map((row) => `"${schema}"."${row.table_name}"`).join(', ');
  await client.query(`LOCK TABLE ${names} IN ACCESS EXCLUSIVE MODE`);
}

async function count(client: pg.ClientBase, table: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

/** Copies `db` (opened on `dataDir`) into the pool's schema; see the file's comment. Never throws for what it refuses. */
export async function copyToPostgres(db: Database, dataDir: string, pool: pg.Pool, schemaName: string): Promise<CopyReport> {
  const started = Date.now();
  const schema = checkedSchema(schemaName);
  const report: CopyReport = {
    outcome: 'committed',
    reasons: [],
    counts: [],
    documents: 0,
    messages: 0,
    digest: '',
    blobBytes: 0,
    leftBehind: Object.entries(LEFT_BEHIND).map(([sublevel, why]) => `${sublevel}: ${why}`),
    ms: 0,
  };
  // A store last served by a version before search runs still holds a key per posting: runs first, or its postings stay behind.
  await new MessageIndexStore(db).migratePostingsToRuns();
  const unknown = await unknownSublevels(db);
  if (unknown.length > 0) {
    return {
      ...report,
      outcome: 'refused',
      reasons: [`the store holds sublevels this version does not know how to copy: ${unknown.join(', ')}`],
    };
  }
  await migrate(pool, schema);
  try {
    await inTransaction(pool, async (client) => {
      // A year of records is one transaction: no statement of it may be cut off by the pool's timeout.
      await client.query('SET LOCAL statement_timeout = 0');
      await client.query(`SET LOCAL search_path TO "${schema}"`);
      await lockTables(client, schema);
      const full = await tablesWithRows(client, schema);
      if (full.length > 0) {
        throw new CopyAborted('refused', [
          `the PostgreSQL schema "${schema}" is not empty (rows in ${full.join(', ')}): copy into an empty database only`,
        ]);
      }
      await copyRecords(db, client);
      report.blobBytes = (await copyBlobs(db, dataDir, client)).bytes;
      await copyDocuments(db, client);

      const reasons: string[] = [];
      for (const { table, sublevel, rowsIn } of COPIED_TABLES) {
        const counted = { table, level: await (rowsIn ? rowsIn(db) : keysIn(db, sublevel)), postgres: await count(client, table) };
        report.counts.push(counted);
        if (counted.level !== counted.postgres) reasons.push(`${table}: ${counted.postgres} rows, LevelDB holds ${counted.level}`);
      }
      const documents = await verifyDocuments(db, client);
      const docRows = await count(client, 'doc');
      report.counts.push({ table: 'doc', level: documents.documents, postgres: docRows });
      if (docRows !== documents.documents) reasons.push(`doc: ${docRows} rows, LevelDB holds ${documents.documents} documents`);
      reasons.push(...documents.differences);
      Object.assign(report, { documents: documents.documents, messages: documents.messages, digest: documents.digest });
      if (reasons.length > 0) throw new CopyAborted('rolled-back', reasons);
    });
  } catch (error) {
    if (error instanceof CopyAborted) return { ...report, outcome: error.outcome, reasons: error.reasons, ms: Date.now() - started };
    return {
      ...report,
      outcome: 'rolled-back',
      reasons: [error instanceof Error ? error.message : String(error)],
      ms: Date.now() - started,
    };
  }
  return { ...report, ms: Date.now() - started };
}

/** Whether DATA_DIR holds a store at all (opening a missing one would make an empty one, and copy nothing). */
export async function hasStore(dataDir: string): Promise<boolean> {
  return access(path.join(dataDir, 'db', 'CURRENT')).then(
    () => true,
    () => false,
  );
}

/** The report as the operator reads it. */
export function formatCopyReport(report: CopyReport, dataDir: string, schema: string): string {
  const lines: string[] = [];
  const verdict = {
    committed: `COPIED ${dataDir} into PostgreSQL (schema "${schema}") and verified it`,
    refused: 'NOT COPIED: refused, nothing was written',
    'rolled-back': 'NOT COPIED: rolled back, the database is as empty as before',
  }[report.outcome];
  lines.push(verdict);
  for (const reason of report.reasons) lines.push(`  ${reason}`);
  if (report.counts.length > 0) {
    lines.push('', `${'table'.padEnd(20)}${'LevelDB'.padStart(10)}${'PostgreSQL'.padStart(12)}`);
    for (const { table, level, postgres } of report.counts) {
      lines.push(
        `${table.padEnd(20)}${String(level).padStart(10)}${String(postgres).padStart(12)}${level === postgres ? '' : '  DIFFERS'}`,
      );
    }
  }
  if (report.outcome === 'committed') {
    lines.push(
      '',
      `documents: ${report.documents}, every entry and client owner identical; ${report.messages} messages in conversations`,
      `document digest (SHA-256): ${report.digest}`,
      `pictures and files: ${report.blobBytes} bytes, each checked against its SHA-256`,
      `took ${(report.ms / 1000).toFixed(1)} s`,
      '',
      'not copied (docs/OPERATIONS.md, "Moving to PostgreSQL"):',
      ...report.leftBehind.map((line) => `  ${line}`),
    );
  }
  return lines.join('\n');
}
