/** The migration runner against a real PostgreSQL: in order, recorded, once, and safe when three relays start at once. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshSchemaName, TEST_DATABASE_URL } from '../../testing/use-test-schema.js';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrations.js';
import { DEFAULT_POSTGRES, openPool } from './pool.js';

const schema = freshSchemaName();
const pools = Array.from({ length: 3 }, () => openPool({ ...DEFAULT_POSTGRES, url: TEST_DATABASE_URL, schema }));
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
});

afterAll(async () => {
  await pools[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(pools.map((pool) => pool.end()));
  await rm(dir, { recursive: true, force: true });
});

it('reads the repository migrations in order, starting with the document log', async () => {
  const migrations = await readMigrations(MIGRATIONS_DIR);
  expect(migrations[0].name).toBe('001_document_log.sql');
  expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
});

it('applies the migrations once when three relays start at once, in order, each recorded', async () => {
  // The second creates a row in the first's table: it fails if run before it, or twice (primary key).
  await writeFile(path.join(dir, '001_first.sql'), 'CREATE TABLE first_table (id integer PRIMARY KEY);');
  await writeFile(path.join(dir, '002_second.sql'), 'INSERT INTO first_table VALUES (1);');
  await writeFile(path.join(dir, 'README.md'), 'not a migration');
  const applied = await Promise.all(pools.map((pool) => migrate(pool, schema, dir)));
  expect(applied.flat().sort()).toEqual(['001_first.sql', '002_second.sql']);
  expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
  const { rows } = await pools[0].query('SELECT version, name FROM schema_migrations ORDER BY version');
  expect(rows).toEqual([
    { version: 1, name: '001_first.sql' },
    { version: 2, name: '002_second.sql' },
  ]);

  // A migration dropped in later is applied at the next start, and only it.
  await writeFile(path.join(dir, '003_third.sql'), 'INSERT INTO first_table VALUES (3);');
  expect(await migrate(pools[1], schema, dir)).toEqual(['003_third.sql']);
  expect((await pools[2].query('SELECT id FROM first_table ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 3 }]);
});

it('refuses two migrations with one number', async () => {
  const clash = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  try {
    await writeFile(path.join(clash, '004_a.sql'), 'SELECT 1;');
    await writeFile(path.join(clash, '004_b.sql'), 'SELECT 1;');
    await expect(readMigrations(clash)).rejects.toThrow(/two migrations are numbered 4/);
  } finally {
    await rm(clash, { recursive: true, force: true });
  }
});

it('rolls a failing migration back whole, recording nothing of it', async () => {
  const other = freshSchemaName();
  const pool = openPool({ ...DEFAULT_POSTGRES, url: TEST_DATABASE_URL, schema: other });
  const broken = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  try {
    await writeFile(path.join(broken, '001_ok.sql'), 'CREATE TABLE ok_table (id integer);');
    await writeFile(path.join(broken, '002_broken.sql'), 'CREATE TABLE broken_table (id nonsense_type);');
    await expect(migrate(pool, other, broken)).rejects.toThrow(/nonsense_type/);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', [other]);
    expect(rows[0].n).toBe(0);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${other}" CASCADE`);
    await pool.end();
    await rm(broken, { recursive: true, force: true });
  }
});
