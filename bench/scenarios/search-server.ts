/**
 * The server search at the scale (issue 18): `SEARCH_BENCH_SERVER_MESSAGES`
 * (default 1,000,000) messages in 1,000 conversations of equal size, their
 * times interleaved (the newest hits are spread over every conversation),
 * written oldest first into each index engine the way the indexer writes
 * (`applyAll`, 10,000 messages a call), then queries by a person in 50 conversations and
 * by one in 500 (the most groups a person may be in), through
 * `MessageSearch`: the route's query without HTTP, the membership read
 * given. Run for LevelDB (the embedded app) and PostgreSQL (a cluster; a
 * fresh schema on `TEST_DATABASE_URL`, dropped after).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { indexTerms } from '../../shared/search-tokens.js';
import { MessageIndexStore } from '../../sync-server/search/message-index-store.js';
import type { IndexChange, IndexedMessage, MessageIndex } from '../../sync-server/search/message-index.js';
import { MessageSearch } from '../../sync-server/search/message-search.js';
import { PostgresMessageIndex } from '../../sync-server/search/postgres-message-index.js';
import { Database } from '../../sync-server/store/database.js';
import { migrate } from '../../sync-server/store/postgres/migrations.js';
import { DEFAULT_POSTGRES, openPool } from '../../sync-server/store/postgres/pool.js';
import { seededRandom } from '../../sync-server/testing/seeded-random.js';
import type { Row } from '../report/rows.js';
import { messageText, percentile, QUERIES, round } from './search-corpus.js';

export const SERVER_MESSAGES = Number(process.env.SEARCH_BENCH_SERVER_MESSAGES ?? 1_000_000);
const SERVER_CONVERSATIONS = 1_000;
/** Messages per `applyAll`: the bulk load's batch. */
const WRITE_CHUNK = 10_000;
const QUERY_ROUNDS = 5;
const POSTGRES_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** The id of conversation `c` (as long as a real one: a 16-byte id in base64url). */
export const conversationIdOf = (c: number) => `conv-${String(c).padStart(4, '0')}-xxxxxxxxxxxxxxx`;

/**
 * Writes the corpus into `index` in the order it is written live, oldest
 * first: each call holds the next 10 messages of every conversation (10,000),
 * so each term's postings grow at their newest end, as they do on a server.
 * Returns how long it took.
 */
export async function fillIndex(index: MessageIndex, messages = SERVER_MESSAGES): Promise<number> {
  const random = seededRandom(1818);
  const per = Math.ceil(messages / SERVER_CONVERSATIONS);
  const roundsPerChunk = Math.max(1, Math.floor(WRITE_CHUNK / SERVER_CONVERSATIONS));
  const started = performance.now();
  for (let first = 0; first < per; first += roundsPerChunk) {
    const changes: IndexChange[] = [];
    for (let c = 0; c < SERVER_CONVERSATIONS; c++) {
      const put: IndexedMessage[] = [];
      for (let i = first; i < Math.min(per, first + roundsPerChunk); i++) {
        const text = messageText(random);
        put.push({
          messageId: `m${c}-${i}`,
          author: 'u',
          text,
          createdAt: 1_700_000_000_000 + i * SERVER_CONVERSATIONS + c,
          seq: i + 1,
          terms: indexTerms(text),
        });
      }
      changes.push({ conversationId: conversationIdOf(c), put, remove: [] });
    }
    await index.applyAll(changes);
  }
  return performance.now() - started;
}

export interface QueryTimes {
  p50: number;
  p95: number;
  /** Per query text: the slowest round, ms. */
  slowest: Record<string, number>;
}

/** Every query, `QUERY_ROUNDS` times, by a person in the first `memberOf` conversations. */
export async function measureQueries(index: MessageIndex, memberOf: number, rounds = QUERY_ROUNDS): Promise<QueryTimes> {
  const ids = Array.from({ length: memberOf }, (_, c) => conversationIdOf(c));
  const member = new Set(ids);
  const search = new MessageSearch(index, {
    conversationIdsOf: async () => ids,
    isMember: async (id: string) => member.has(id),
  });
  const times: number[] = [];
  const slowest: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const query of QUERIES) {
      const t0 = performance.now();
      const hits = await search.search('u', query);
      const ms = performance.now() - t0;
      if (hits.some((hit) => !member.has(hit.conversationId)))
        throw new Error(`"${query}" found a message outside the asker's conversations`);
      times.push(ms);
      slowest[query] = round(Math.max(slowest[query] ?? 0, ms));
    }
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), slowest };
}

/** The rows and raw figures of one engine. */
async function engineRows(
  engine: string,
  index: MessageIndex,
  afterFill: () => Promise<void> = async () => undefined,
): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const writeMs = await fillIndex(index);
  await afterFill();
  const total = SERVER_MESSAGES.toLocaleString('en');
  const rows: Row[] = [];
  const raw: Record<string, unknown> = { writeMs };
  for (const memberOf of [50, 500]) {
    const times = await measureQueries(index, memberOf);
    raw[`memberOf${memberOf}`] = times;
    for (const [name, value] of [
      ['p50', times.p50],
      ['p95', times.p95],
    ] as const) {
      rows.push({
        scenario: 'search',
        metric: `server ${engine}: query, member of ${memberOf} (${total} stored), ${name}`,
        unit: 'ms',
        ours: round(value),
        reference: 'n/a',
        target: { kind: 'at-most', value: 200 },
      });
    }
  }
  rows.push({
    scenario: 'search',
    metric: `server ${engine}: index ${total} messages`,
    unit: 'ms',
    ours: Math.round(writeMs),
    reference: 'n/a',
    note: `applyAll, ${WRITE_CHUNK.toLocaleString('en')} messages a call`,
  });
  return { rows, raw };
}

/** The embedded app's index, in a temp LevelDB. */
export async function levelServerSearch(): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hc-search-bench-'));
  const db = await Database.open(dir);
  try {
    return await engineRows('LevelDB', new MessageIndexStore(db));
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The cluster's index, in a fresh schema of `TEST_DATABASE_URL`. */
export async function postgresServerSearch(): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const schema = `bench_search_${randomBytes(4).toString('hex')}`;
  // A bulk load and a GIN index build take longer than a relay's statement timeout.
  const pool = openPool({ ...DEFAULT_POSTGRES, url: POSTGRES_URL, schema, statementTimeoutMs: 600_000 });
  try {
    await migrate(pool, schema);
    // The planner needs the tables' statistics, and an index-only scan their visibility map, as autovacuum keeps them
    // on a live server (it vacuums a table after inserts too): without it each posting read checked its heap page.
    return await engineRows('PostgreSQL', new PostgresMessageIndex(pool), async () => {
      await pool.query('VACUUM ANALYZE search_runs, search_messages');
    });
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}
