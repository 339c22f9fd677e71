/**
 * The PostgreSQL search index when its connection is lost in the middle of a
 * write (PostgreSQL restarted, a backend killed): the write fails, and the
 * relay process goes on. It used to die: `applyAll` held a connection checked
 * out of the pool with no `error` listener, and pg emits the lost connection
 * as an `error` event on it, which Node throws when nobody listens. The owner
 * of a busy conversation died that way whenever PostgreSQL was stopped under
 * load (sync-server/cluster/processes/postgres-restarted.test.ts).
 */
import { expect, it } from 'vitest';
import { useTestSchema } from '../testing/use-test-schema.js';
import type { IndexedMessage } from './message-index.js';
import { jsonParameter, PostgresMessageIndex, recordsById } from './postgres-message-index.js';

const schema = useTestSchema();

const message = (messageId: string): IndexedMessage => ({
  messageId,
  author: 'ada',
  text: 'hello',
  createdAt: 1,
  seq: 1,
  terms: ['hello'],
});

it('a write whose connection is terminated mid-transaction fails, the process goes on, and the next write is stored', async () => {
  const index = new PostgresMessageIndex(schema.pool);
  // Another session holds the table, so the index's INSERT waits inside its transaction, holding its connection.
  const locker = await schema.pool.connect();
  let write: Promise<void> | undefined;
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE search_messages IN ACCESS EXCLUSIVE MODE');
    const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    write = index.applyAll([{ conversationId: 'c1', put: [message('m1')], remove: [] }]);
    const outcome = write.then(
      () => 'stored',
      (error: unknown) => String(error),
    );
    // Asked outside the locker's transaction: pg_stat_activity is read once per transaction.
    const waiting = async () =>
      (await schema.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [lockerPid]))
        .rows;
    let blocked: Array<{ pid: number }> = [];
    for (let round = 0; round < 200 && blocked.length === 0; round++) {
      blocked = await waiting();
      if (blocked.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(blocked).toHaveLength(1);
    await schema.pool.query('SELECT pg_terminate_backend($1)', [blocked[0].pid]);
    await locker.query('ROLLBACK');
    expect(await outcome).toMatch(/terminat/);
  } finally {
    locker.release();
    await write?.catch(() => {});
  }
  // The broken connection went back to nobody: the pool opens a new one and the index works on.
  await index.apply('c1', [message('m2')], []);
  const { rows } = await schema.pool.query<{ message_id: string }>('SELECT message_id FROM search_messages ORDER BY message_id');
  expect(rows.map((row) => row.message_id)).toEqual(['m2']);
});

it("answers a query of exact terms in two statements: the driving term's runs, then the asker's candidates' records for the other terms", async () => {
  const index = new PostgresMessageIndex(schema.pool);
  await index.applyAll([
    {
      conversationId: 'c1',
      put: [
        { ...message('m1'), terms: ['hello', 'moon'] },
        { ...message('m2'), createdAt: 2 },
      ],
      remove: [],
    },
    { conversationId: 'c2', put: [{ ...message('m3'), createdAt: 3, terms: ['hello', 'moon'] }], remove: [] },
  ]);
  const statements: string[] = [];
  const query = schema.pool.query.bind(schema.pool);
  schema.pool.query = ((...args: Parameters<typeof query>) => {
    statements.push(String(args[0]));
    return query(...args);
  }) as typeof schema.pool.query;
  try {
    const found = await index.candidates(
      ['c1'],
      [
        { term: 'hello', prefix: false },
        { term: 'moon', prefix: false },
      ],
      10,
    );
    expect(found).toEqual([{ conversationId: 'c1', messageId: 'm1', createdAt: 1 }]);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/FROM search_runs/);
    expect(statements[1]).toMatch(/FROM search_messages/);
  } finally {
    schema.pool.query = query;
  }
});

it('writes a new message with plain inserts, no speculative one (one WAL record and key probe less a posting, issue 11)', async () => {
  const index = new PostgresMessageIndex(schema.pool);
  const statements: string[] = [];
  const connect = schema.pool.connect.bind(schema.pool);
  schema.pool.connect = (async () => {
    const client = await connect();
    const query = client.query.bind(client);
    client.query = ((...args: Parameters<typeof query>) => {
      const [statement] = args;
      statements.push(typeof statement === 'string' ? statement : (statement as { text: string }).text);
      return query(...args);
    }) as typeof client.query;
    return client;
  }) as typeof schema.pool.connect;
  try {
    await index.applyAll([{ conversationId: 'c9', put: [{ ...message('m9'), terms: ['plain', 'insert'] }], remove: [] }]);
  } finally {
    schema.pool.connect = connect;
  }
  const writes = statements.filter((text) => /INSERT INTO search_(runs|messages)/.test(text));
  expect(writes).toHaveLength(2);
  for (const text of writes) expect(text).not.toMatch(/ON CONFLICT/);
});

it('a message indexed again with other terms keeps one posting per new term and none of its old ones', async () => {
  const index = new PostgresMessageIndex(schema.pool);
  await index.apply('c8', [{ ...message('m8'), terms: ['first', 'shared'] }], []);
  await index.apply('c8', [{ ...message('m8'), createdAt: 5, terms: ['second', 'shared'] }], []);
  await index.apply('c8', [{ ...message('m8'), createdAt: 5, terms: ['second', 'shared'] }], []);
  const { rows } = await schema.pool.query<{ term: string; postings: string }>(
    "SELECT split_part(key, '!', 1) AS term, postings FROM search_runs WHERE postings LIKE '%!c8!%' ORDER BY key",
  );
  expect(rows).toEqual([
    { term: 'second', postings: '0000000000000005!c8!m8' },
    { term: 'shared', postings: '0000000000000005!c8!m8' },
  ]);
  expect(await index.candidates(['c8'], [{ term: 'first', prefix: false }], 10)).toEqual([]);
  expect(await index.records('c8', ['m8'])).toMatchObject([{ createdAt: 5, terms: ['second', 'shared'] }]);
});

it('stores a lone surrogate as U+FFFD, as a text parameter did, and its pair as written (PostgreSQL refuses the escape)', async () => {
  const index = new PostgresMessageIndex(schema.pool);
  const written: IndexedMessage = { ...message('m7'), text: `lone \ud800 low \udc00 pair 😀 end \ud83d`, terms: ['lone\udfff', '😀'] };
  await index.apply('c7', [written], []);
  expect(await index.records('c7', ['m7'])).toEqual([
    { ...written, text: 'lone \ufffd low \ufffd pair 😀 end \ufffd', terms: ['lone\ufffd', '😀'] },
  ]);
  expect((await index.candidates(['c7'], [{ term: 'lone\ufffd', prefix: false }], 10)).map((hit) => hit.messageId)).toEqual(['m7']);
});

it('turns only lone surrogates in a JSON parameter into U+FFFD, whatever backslashes the text holds', () => {
  expect(jsonParameter({ t: 'a\\ud800 \\\\ud83d' })).toBe(JSON.stringify({ t: 'a\\ud800 \\\\ud83d' }));
  expect(jsonParameter(['\ud800', '😀', '\\\ud800'])).toBe(JSON.stringify(['\ufffd', '😀', '\\\ufffd']));
});

it('reads the records a write names through their key, not by reading the whole table (a hash join did, up to ~20,000 records)', async () => {
  await schema.pool.query(
    `INSERT INTO search_messages (conversation_id, message_id, author, text, created_at, seq, terms)
     SELECT 'plan' || (i % 10), 'p' || i, 'ada', 'hello', i, i, '{hello}' FROM generate_series(1, 5000) AS i`,
  );
  const ids = Array.from({ length: 50 }, (_, i) => `p${i * 7}`);
  const { rows } = await schema.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${recordsById('m.message_id')}`, [
    ids.map((_, i) => `plan${(i * 7) % 10}`),
    ids,
  ]);
  const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
  expect(plan).toMatch(/Index (Only )?Scan using search_messages_pkey/);
  expect(plan).not.toMatch(/Seq Scan on search_messages/);
});
