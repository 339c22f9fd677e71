/**
 * The server's search index in PostgreSQL (cluster mode, docs/SCALING.md):
 * the messages' records (`search_messages`) and an inverted index of their
 * terms in runs (`search_runs`, migrations/034_search_runs.sql): one row per
 * term and group of up to 64 messages written together, keyed
 * `term!time!run`, LevelDB's layout, read by LevelDB's reader
 * (newest-postings.ts through postgres-posting-runs.ts). A query reads its
 * driving term's postings newest first, keeps those of the asker's
 * conversations, checks the other terms on their records, and stops at a
 * page of hits or `TERM_SCAN_LIMIT` postings: its cost follows the page,
 * not the number of matches or of the person's conversations (issue 18).
 * Runs take about half the WAL of a row per posting, or less (issue 11,
 * session 12). How far into each document's log it holds every stored
 * change is kept beside it (`search_clocks`, migrations/032_search_clocks.sql),
 * written in each index write's transaction (issue 14). Terms are our
 * tokenizer's (shared/search-tokens.ts), so PostgreSQL neither stems nor
 * re-splits them.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { QueryTerm } from '../../shared/search-tokens.js';
import { inTransaction } from '../store/postgres/pool.js';
import {
  INDEX_VERSION,
  type IndexCandidate,
  type IndexChange,
  type IndexedMessage,
  type IndexedThrough,
  type MessageIndex,
  drivingTerm,
  FEW_CONVERSATIONS,
  holds,
  newestFirst,
  RECORD_SCAN_LIMIT,
  type ScanLimits,
  TERM_SCAN_LIMIT,
} from './message-index.js';
import {
  joinPostings,
  MAX_PREFIX_TERMS,
  type Posting,
  postingEntry,
  runKey,
  runOf,
  scanNewestPostings,
  type ScanBatches,
  splitPostings,
} from './newest-postings.js';
import { PostgresPostingRuns } from './postgres-posting-runs.js';

/**
 * The distinct terms beginning with `$1`, at most `$2`: a loose index scan of the runs' keys (`term!time!run`), one
 * probe per term, each the first key past the previous term's runs (`"` follows `!`).
 */
const TERMS_STARTING_WITH = `
  WITH RECURSIVE found(key) AS (
    (SELECT key FROM search_runs WHERE key ^@ $1 ORDER BY key LIMIT 1)
    UNION ALL
    SELECT (SELECT r.key FROM search_runs r WHERE r.key >= split_part(found.key, '!', 1) || '"' AND r.key ^@ $1 ORDER BY r.key LIMIT 1)
    FROM found WHERE found.key IS NOT NULL
  )
  SELECT split_part(key, '!', 1) AS term FROM found WHERE key IS NOT NULL LIMIT $2`;

/** Messages a run holds at most (as LevelDB's, message-index-store.ts): a catch-up's chunk is several runs. */
const RUN_MESSAGES = 64;
/** Postings read (and their records checked) at once at first; four times more each next time, up to 4,096. */
const SCAN_BATCHES: ScanBatches = { first: 256, growth: 4, max: 4_096 };

/** A record to write, and the run (`time!runId`) its postings are in (null without terms). */
interface RecordRow {
  conversationId: string;
  message: IndexedMessage;
  run: string | null;
}

/** Takes these postings out of their runs (a run left empty is deleted): edits and deletes, rare. */
async function takeOutOfRuns(client: pg.ClientBase, leaving: ReadonlyArray<{ key: string; entry: string }>): Promise<void> {
  if (leaving.length === 0) return;
  const keys = [...new Set(leaving.map(({ key }) => key))];
  const { rows } = await client.query<{ key: string; postings: string }>(
    'SELECT key, postings FROM search_runs WHERE key = ANY($1::text[]) FOR UPDATE',
    [keys],
  );
  const runs = new Map(rows.map((row) => [row.key, new Set(splitPostings(row.postings))]));
  for (const { key, entry } of leaving) runs.get(key)?.delete(entry);
  const emptied = [...runs].filter(([, entries]) => entries.size === 0).map(([key]) => key);
  const kept = [...runs].filter(([, entries]) => entries.size > 0);
  if (emptied.length > 0) await client.query('DELETE FROM search_runs WHERE key = ANY($1::text[])', [emptied]);
  if (kept.length > 0) {
    await client.query(
      'UPDATE search_runs r SET postings = k.postings FROM unnest($1::text[], $2::text[]) AS k(key, postings) WHERE r.key = k.key',
      [kept.map(([key]) => key), kept.map(([, entries]) => joinPostings([...entries]))],
    );
  }
}

/** Records how far each document is indexed (`IndexedThrough`), in the caller's transaction. */
async function writeClocks(client: pg.Pool | pg.ClientBase, through: readonly IndexedThrough[]): Promise<void> {
  await client.query({ ...WRITE_CLOCKS, values: [through.map((t) => t.docName), through.map((t) => t.nextClock)] });
}

/** Half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A JSON parameter for `json_to_recordset`: one string, where text arrays went as one literal per column, each element
 * quoted by pg's `escapeElement` (two regular expressions an element) and parsed back by PostgreSQL's `array_in`
 * (docs/PERFORMANCE.md, issue 11, session 15). `json`, not `jsonb`: it is read once, so it is not worth building.
 * PostgreSQL refuses to turn a lone surrogate's `\udXXX` escape into text, where pg's UTF-8 encoding of a text
 * parameter made it U+FFFD: such strings are made U+FFFD here too (rare: only then is anything walked twice).
 */
export function jsonParameter(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\ud')) return json;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? item.replace(LONE_SURROGATE, '\ufffd') : item));
}

/**
 * The records named by `$1` and `$2` (conversation and message ids side by side), each read through its key.
 * `LIMIT 1` (a key matches one row at most) keeps each lookup a subquery of its own: pulled up into a join, the ids
 * were hashed and the whole table read whenever PostgreSQL guessed that cheaper, which for ~50 ids it did up to
 * ~20,000 records, on every index write of the cluster bench (docs/PERFORMANCE.md, issue 11, session 15).
 */
export function recordsById(columns: string): string {
  return `SELECT ${columns} FROM unnest($1::text[], $2::text[]) AS r(c, id),
    LATERAL (SELECT * FROM search_messages WHERE conversation_id = r.c AND message_id = r.id LIMIT 1) AS m`;
}

/** The records' columns, and their rows from the parameter of `recordParams`. */
const RECORD_COLUMNS = '(conversation_id, message_id, author, text, created_at, seq, terms, run)';
const recordsFrom = `SELECT c, m, a, t, ca, s, tr, run
  FROM json_to_recordset($1::json) AS r(c text, m text, a text, t text, ca bigint, s int, tr text[], run text)`;

function recordParams(rows: readonly RecordRow[]): unknown[] {
  return [
    jsonParameter(
      rows.map(({ conversationId, message, run }) => ({
        c: conversationId,
        m: message.messageId,
        a: message.author,
        t: message.text,
        ca: message.createdAt,
        s: message.seq,
        tr: message.terms,
        run,
      })),
    ),
  ];
}

/**
 * The statements of every index write, prepared once per connection (`name`): unnamed, PostgreSQL parsed and planned
 * each of them at every write (docs/PERFORMANCE.md, issue 11, session 15).
 */
const WRITE_CLOCKS = {
  name: 'happychat-search-clocks',
  text: `INSERT INTO search_clocks (doc_name, next_clock) SELECT * FROM unnest($1::text[], $2::bigint[])
    ON CONFLICT (doc_name) DO UPDATE SET next_clock = excluded.next_clock`,
};
const READ_WRITTEN = {
  name: 'happychat-search-read-written',
  text: recordsById('m.conversation_id, m.message_id, m.created_at, m.terms, m.run'),
};
const INSERT_RECORDS = { name: 'happychat-search-insert-records', text: `INSERT INTO search_messages ${RECORD_COLUMNS} ${recordsFrom}` };
const INSERT_RUNS = {
  name: 'happychat-search-insert-runs',
  text: 'INSERT INTO search_runs (key, postings) SELECT * FROM json_to_recordset($1::json) AS r(key text, postings text)',
};

/** A record's identity as one string (ids never hold a newline). */
const recordKey = (conversationId: string, messageId: string) => `${conversationId}\n${messageId}`;

interface MessageRow {
  message_id: string;
  author: string;
  text: string;
  created_at: string;
  seq: number;
  terms: string[];
}

export class PostgresMessageIndex implements MessageIndex {
  private readonly termScanLimit: number;
  private readonly recordScanLimit: number;
  private readonly runs: PostgresPostingRuns;
  /** Run ids of this writer: a random prefix and a count, so two relays never name a run alike. */
  private readonly runPrefix = randomBytes(6).toString('base64url');
  private runCount = 0;

  constructor(
    private readonly pool: pg.Pool,
    { termScanLimit = TERM_SCAN_LIMIT, recordScanLimit = RECORD_SCAN_LIMIT }: ScanLimits = {},
  ) {
    this.termScanLimit = termScanLimit;
    this.recordScanLimit = recordScanLimit;
    this.runs = new PostgresPostingRuns(pool);
  }

  async isCurrent(docName: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ version: number }>('SELECT version FROM search_documents WHERE doc_name = $1', [docName]);
    return rows[0]?.version === INDEX_VERSION;
  }

  async markCurrent(docName: string, nextClock?: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO search_documents (doc_name, version) VALUES ($1, $2) ON CONFLICT (doc_name) DO UPDATE SET version = excluded.version',
        [docName, INDEX_VERSION],
      );
      if (nextClock !== undefined) await writeClocks(client, [{ docName, nextClock }]);
    });
  }

  async indexedThrough(docName: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ next_clock: string }>('SELECT next_clock FROM search_clocks WHERE doc_name = $1', [docName]);
    return rows[0] === undefined ? null : Number(rows[0].next_clock);
  }

  async markStale(docName: string): Promise<void> {
    await this.pool.query('DELETE FROM search_documents WHERE doc_name = $1', [docName]);
  }

  apply(conversationId: string, put: readonly IndexedMessage[], remove: readonly string[]): Promise<void> {
    return this.applyAll([{ conversationId, put, remove }]);
  }

  /**
   * One transaction: the records of what goes or changes are read (with
   * the run each names), their postings taken out of those runs, then the
   * records written (plain inserts for new ones, updates for the others) and
   * the new messages' postings written as runs: groups of `RUN_MESSAGES` in
   * time order, one row per term and group (`search_runs`). The reads and
   * the runs' updates are per-key probes.
   */
  async applyAll(changes: readonly IndexChange[], through: readonly IndexedThrough[] = []): Promise<void> {
    if (changes.every(({ put, remove }) => put.length === 0 && remove.length === 0)) {
      if (through.length > 0) await writeClocks(this.pool, through);
      return;
    }
    const touched = changes.flatMap(({ conversationId, put, remove }) =>
      [...put.map((m) => m.messageId), ...remove].map((messageId) => ({ conversationId, messageId })),
    );
    const removed = changes.flatMap(({ conversationId, remove }) => remove.map((messageId) => ({ conversationId, messageId })));
    const rows = changes.flatMap(({ conversationId, put }) => put.map((message) => ({ conversationId, message })));
    await inTransaction(this.pool, async (client) => {
      if (through.length > 0) await writeClocks(client, through);
      const { rows: old } = await client.query<{
        conversation_id: string;
        message_id: string;
        created_at: string;
        terms: string[];
        run: string | null;
      }>({ ...READ_WRITTEN, values: [touched.map((r) => r.conversationId), touched.map((r) => r.messageId)] });
      await takeOutOfRuns(
        client,
        old.flatMap((row) =>
          row.run === null
            ? []
            : [...new Set(row.terms)].map((term) => ({
                key: runKey(term, row.run as string),
                entry: postingEntry(Number(row.created_at), row.conversation_id, row.message_id),
              })),
        ),
      );
      if (removed.length > 0) {
        await client.query(
          `DELETE FROM search_messages m USING unnest($1::text[], $2::text[]) AS r(c, id)
           WHERE m.conversation_id = r.c AND m.message_id = r.id`,
          [removed.map((r) => r.conversationId), removed.map((r) => r.messageId)],
        );
      }
      if (rows.length === 0) return;
      const runs = this.intoRuns(rows);
      // Plain inserts where the read above found no record (a new message, the usual case), an update where it found
      // one: no speculative insert (`ON CONFLICT`), which cost each row one more key probe and WAL record (issue 11,
      // session 12). The read and the writes are one transaction; another relay writing the same message at once
      // makes one of the two fail on the key, and its queue indexes those documents whole again (index-write-queue.ts).
      const held = new Set(old.map((row) => recordKey(row.conversation_id, row.message_id)));
      // A record deleted above (an id taken out of one document and put in another of the same write) is written anew.
      for (const { conversationId, messageId } of removed) held.delete(recordKey(conversationId, messageId));
      const added = runs.records.filter((row) => !held.has(recordKey(row.conversationId, row.message.messageId)));
      const changed = runs.records.filter((row) => held.has(recordKey(row.conversationId, row.message.messageId)));
      if (added.length > 0) await client.query({ ...INSERT_RECORDS, values: recordParams(added) });
      if (changed.length > 0) {
        await client.query(
          `UPDATE search_messages m SET author = r.a, text = r.t, created_at = r.ca, seq = r.s, terms = r.tr, run = r.run
           FROM (${recordsFrom}) AS r(c, m, a, t, ca, s, tr, run) WHERE m.conversation_id = r.c AND m.message_id = r.m`,
          recordParams(changed),
        );
      }
      // Each run's key is new (a run id of this writer's), so none of these is there yet.
      await client.query({ ...INSERT_RUNS, values: [jsonParameter(runs.rows)] });
    });
  }

  /** The runs of these messages (groups of `RUN_MESSAGES` in time order), and their records naming them. */
  private intoRuns(messages: ReadonlyArray<{ conversationId: string; message: IndexedMessage }>): {
    records: RecordRow[];
    rows: Array<{ key: string; postings: string }>;
  } {
    const sorted = [...messages].sort((a, b) => a.message.createdAt - b.message.createdAt);
    const records: RecordRow[] = [];
    const rows: Array<{ key: string; postings: string }> = [];
    for (let at = 0; at < sorted.length; at += RUN_MESSAGES) {
      const group = sorted.slice(at, at + RUN_MESSAGES);
      const run = runOf(group[group.length - 1].message.createdAt, `${this.runPrefix}${(this.runCount++).toString(36)}`);
      const byTerm = new Map<string, string[]>();
      for (const { conversationId, message } of group) {
        const entry = postingEntry(message.createdAt, conversationId, message.messageId);
        for (const term of new Set(message.terms)) {
          const entries = byTerm.get(term);
          if (entries) entries.push(entry);
          else byTerm.set(term, [entry]);
        }
        records.push({ conversationId, message, run: message.terms.length > 0 ? run : null });
      }
      for (const [term, entries] of byTerm) rows.push({ key: runKey(term, run), postings: joinPostings(entries) });
    }
    return { records, rows };
  }

  /**
   * Reads the driving term's postings newest first (each term a prefix
   * begins, merged; newest-postings.ts, as LevelDB's), keeps those of the
   * asker's conversations whose record holds every other term, and stops at
   * `limit` hits or after `TERM_SCAN_LIMIT` postings; stopped short of a
   * page for someone in `FEW_CONVERSATIONS` or fewer, it reads their records
   * instead (`fromRecords`).
   */
  async candidates(conversationIds: readonly string[], wanted: readonly QueryTerm[], limit: number): Promise<IndexCandidate[]> {
    const mine = new Set(conversationIds);
    if (mine.size === 0 || wanted.length === 0 || limit <= 0) return [];
    const driving = drivingTerm(wanted);
    const others = wanted.filter((term) => term !== driving);
    const found: IndexCandidate[] = [];
    const keep = async (postings: readonly Posting[]) => {
      const theirs = postings.filter((posting) => mine.has(posting.conversationId));
      for (const posting of others.length === 0 ? theirs : await this.holdingAll(theirs, others)) {
        if (found.length === limit) break;
        found.push(posting);
      }
    };
    let terms: string[] | null = [driving.term];
    if (driving.prefix) {
      const { rows } = await this.pool.query<{ term: string }>(TERMS_STARTING_WITH, [driving.term, MAX_PREFIX_TERMS + 1]);
      terms = rows.length > MAX_PREFIX_TERMS ? null : rows.map((row) => row.term);
    }
    const stopped = await scanNewestPostings(
      this.runs,
      { terms, prefix: driving.term, scanLimit: this.termScanLimit, batches: SCAN_BATCHES },
      keep,
      () => found.length >= limit,
    );
    if (stopped && found.length < limit && mine.size <= FEW_CONVERSATIONS) {
      const complete = await this.fromRecords([...mine], wanted, limit);
      if (complete) return complete;
    }
    return found.sort(newestFirst);
  }

  /** The postings whose message holds every one of `terms` (read from their records, one statement). */
  private async holdingAll(postings: readonly Posting[], terms: readonly QueryTerm[]): Promise<Posting[]> {
    if (postings.length === 0) return [];
    const { rows } = await this.pool.query<{ conversation_id: string; message_id: string; terms: string[] }>(
      recordsById('m.conversation_id, m.message_id, m.terms'),
      [postings.map((p) => p.conversationId), postings.map((p) => p.messageId)],
    );
    const termsOf = new Map(rows.map((row) => [recordKey(row.conversation_id, row.message_id), row.terms]));
    return postings.filter((posting) => {
      const held = termsOf.get(recordKey(posting.conversationId, posting.messageId));
      return held !== undefined && terms.every((term) => holds(held, term));
    });
  }

  /**
   * The newest `limit` messages of these (few) conversations holding every
   * term, from their records, in one statement; null when they hold more
   * than `recordScanLimit` records (the postings' answer stands then).
   */
  private async fromRecords(
    conversationIds: readonly string[],
    wanted: readonly QueryTerm[],
    limit: number,
  ): Promise<IndexCandidate[] | null> {
    const params: unknown[] = [[...new Set(conversationIds)], this.recordScanLimit + 1, limit];
    const param = (value: unknown) => `$${params.push(value)}`;
    const held = wanted.map(({ term, prefix }) =>
      prefix ? `EXISTS (SELECT 1 FROM unnest(m.terms) AS held WHERE held ^@ ${param(term)})` : `${param(term)} = ANY(m.terms)`,
    );
    const { rows } = await this.pool.query<{ total: string; hits: Array<{ c: string; id: string; at: string | number }> | null }>(
      `WITH theirs AS MATERIALIZED (
         SELECT conversation_id, message_id, created_at, terms FROM search_messages WHERE conversation_id = ANY($1::text[]) LIMIT $2
       )
       SELECT (SELECT count(*) FROM theirs) AS total,
              (SELECT json_agg(json_build_object('c', conversation_id, 'id', message_id, 'at', created_at)) FROM (
                 SELECT * FROM theirs m WHERE ${held.join(' AND ')}
                 ORDER BY created_at DESC, conversation_id DESC, message_id DESC LIMIT $3
               ) AS hit) AS hits`,
      params,
    );
    if (Number(rows[0].total) > this.recordScanLimit) return null;
    return (rows[0].hits ?? []).map((hit) => ({ conversationId: hit.c, messageId: hit.id, createdAt: Number(hit.at) })).sort(newestFirst);
  }

  async records(conversationId: string, messageIds: readonly string[]): Promise<IndexedMessage[]> {
    if (messageIds.length === 0) return [];
    const { rows } = await this.pool.query<MessageRow>(
      'SELECT message_id, author, text, created_at, seq, terms FROM search_messages WHERE conversation_id = $1 AND message_id = ANY($2)',
      [conversationId, messageIds],
    );
    const byId = new Map(rows.map((row) => [row.message_id, row]));
    return messageIds.flatMap((messageId) => {
      const row = byId.get(messageId);
      return row
        ? [{ messageId, author: row.author, text: row.text, createdAt: Number(row.created_at), seq: row.seq, terms: row.terms }]
        : [];
    });
  }
}
