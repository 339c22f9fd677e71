/**
 * Migration 034 (search runs): an index stored as one row per posting
 * (`search_terms`, 031) is turned into runs, and searches as before: newest
 * first, only the asker's conversations, a second term and a prefix, an edit
 * after the migration taking the message out of its migrated run.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresMessageIndex } from '../../search/postgres-message-index.js';
import { freshSchemaName, TEST_DATABASE_URL } from '../../testing/use-test-schema.js';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrations.js';
import { DEFAULT_POSTGRES, openPool } from './pool.js';

const schema = freshSchemaName();
let pool: pg.Pool;
let before: string;

beforeAll(async () => {
  pool = openPool({ ...DEFAULT_POSTGRES, url: TEST_DATABASE_URL, schema });
  before = await mkdtemp(path.join(os.tmpdir(), 'migrations-before-runs-'));
  for (const migration of await readMigrations()) {
    if (migration.version < 34) await copyFile(path.join(MIGRATIONS_DIR, migration.name), path.join(before, migration.name));
  }
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await rm(before, { recursive: true, force: true });
});

it('turns postings stored a row each into runs that answer the same queries', async () => {
  await migrate(pool, schema, before);
  // 150 messages in the old form (more than two runs' worth), over two conversations, written as 031's index did.
  const messages = Array.from({ length: 150 }, (_, i) => ({
    conversationId: i % 2 === 0 ? 'even' : 'odd',
    messageId: `m${String(i).padStart(3, '0')}`,
    createdAt: 1_000 + i,
    terms: i % 3 === 0 ? ['hello', 'moon'] : ['hello', 'sun'],
  }));
  await pool.query(
    `INSERT INTO search_messages (conversation_id, message_id, author, text, created_at, seq, terms)
     SELECT c, m, 'ada', 'text', ca, 1, ARRAY(SELECT jsonb_array_elements_text(t))
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[]) AS r(c, m, ca, t)`,
    [
      messages.map((m) => m.conversationId),
      messages.map((m) => m.messageId),
      messages.map((m) => m.createdAt),
      messages.map((m) => JSON.stringify(m.terms)),
    ],
  );
  await pool.query(
    `INSERT INTO search_terms (term, created_at, conversation_id, message_id)
     SELECT DISTINCT term, created_at, conversation_id, message_id FROM search_messages, unnest(terms) AS term`,
  );

  // 034 and whatever came after it.
  expect((await migrate(pool, schema))[0]).toBe('034_search_runs.sql');
  const { rows: tables } = await pool.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'search_%' ORDER BY 1",
    [schema],
  );
  expect(tables.map((t) => t.name)).toEqual(['search_clocks', 'search_documents', 'search_messages', 'search_runs']);
  // Three runs (64, 64 and 22 messages) of each of the three terms: 'moon' and 'sun' are in every run.
  expect(Number((await pool.query('SELECT count(*) FROM search_runs')).rows[0].count)).toBe(9);

  const index = new PostgresMessageIndex(pool);
  const even = messages.filter((m) => m.conversationId === 'even');
  const newestFirst = (list: typeof messages) =>
    [...list].reverse().map((m) => ({ conversationId: m.conversationId, messageId: m.messageId, createdAt: m.createdAt }));
  expect(await index.candidates(['even'], [{ term: 'hello', prefix: false }], 100)).toEqual(newestFirst(even).slice(0, 100));
  expect(
    await index.candidates(
      ['even'],
      [
        { term: 'hello', prefix: false },
        { term: 'mo', prefix: true },
      ],
      10,
    ),
  ).toEqual(newestFirst(even.filter((m) => m.terms.includes('moon'))).slice(0, 10));
  expect(await index.candidates(['odd'], [{ term: 'su', prefix: true }], 5)).toEqual(
    newestFirst(messages.filter((m) => m.conversationId === 'odd' && m.terms.includes('sun'))).slice(0, 5),
  );

  // An edit after the migration finds the message's migrated run and takes it out.
  await index.apply('even', [{ messageId: 'm000', author: 'ada', text: 'edited', createdAt: 5_000, seq: 1, terms: ['edited'] }], []);
  expect(await index.candidates(['even'], [{ term: 'moon', prefix: false }], 100)).not.toContainEqual(
    expect.objectContaining({ messageId: 'm000' }),
  );
  expect(await index.candidates(['even'], [{ term: 'edited', prefix: false }], 10)).toEqual([
    { conversationId: 'even', messageId: 'm000', createdAt: 5_000 },
  ]);
});
