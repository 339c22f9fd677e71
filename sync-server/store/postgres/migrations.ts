/**
 * The schema migrations of the PostgreSQL stores: numbered SQL files in
 * `migrations/` (`001_document_log.sql`, `002_….sql`), applied at start in
 * order and recorded in `schema_migrations`. Adding one is dropping the next
 * numbered file there; a file once applied is never edited.
 *
 * Several relays start at once: all migrations run in one transaction that
 * first takes a transaction-scoped advisory lock for the schema, so the first
 * relay applies them and the others wait, then find them recorded.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { checkedSchema, inTransaction } from './pool.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const MIGRATION_FILE = /^(\d+)_[a-z0-9_-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations in `dir`, in order; two files with one number are a mistake caught here. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const name of await readdir(dir)) {
    const match = MIGRATION_FILE.exec(name);
    if (!match) continue;
    migrations.push({ version: Number(match[1]), name, sql: await readFile(`${dir}/${name}`, 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(`two migrations are numbered ${migrations[i].version}: ${migrations[i - 1].name}, ${migrations[i].name}`);
    }
  }
  return migrations;
}

/**
 * Applies the migrations not yet recorded in the pool's schema (creating the
 * schema if needed); returns the names of those it applied.
 */
export async function migrate(pool: pg.Pool, schema: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const quoted = `"${checkedSchema(schema)}"`;
  return inTransaction(pool, async (client) => {
    // One lock per schema: relays of one cluster wait for each other, tests in their own schemas do not.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`happy-chat-migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${quoted}.schema_migrations`);
    const applied = new Set(rows.map((row) => row.version));
    const names: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(`SET LOCAL search_path TO ${quoted}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${quoted}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      names.push(migration.name);
    }
    return names;
  });
}
