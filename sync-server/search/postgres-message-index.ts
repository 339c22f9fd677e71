/**
 * The server's search index in PostgreSQL (cluster mode, docs/SCALING.md):
 * the messages' records (`search_messages`) and an inverted index of their
 * terms (`search_terms`, migrations/031_search_postings.sql), keyed by term
 * and time. A query reads its driving term's postings newest first in the
 * primary key (a prefix's terms merged by PostgreSQL's Merge Append), keeps
 * those of the asker's conversations as it goes (`conversation_id = ANY`,
 * from the index tuple), checks the other terms on each candidate's record,
 * and stops at a page of hits: its cost follows the page, not the number of
 * matches or of the person's conversations (issue 18). How far into each
 * document's log it holds every stored change is kept beside it
 * (`search_clocks`, migrations/032_search_clocks.sql), written in each index
 * write's transaction (issue 14). Terms are our
 * tokenizer's (shared/search-tokens.ts), so PostgreSQL neither stems nor
 * re-splits them.
 */
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
  newestFirst,
  RECORD_SCAN_LIMIT,
  type ScanLimits,
  TERM_SCAN_LIMIT,
} from './message-index.js';
import { MAX_PREFIX_TERMS } from './newest-postings.js';

/** Postings the first statement reads (a page of hits is usually in it); each next one reads four times more, up to `MAX_PAGE`. */
const FIRST_PAGE = 256;
const MAX_PAGE = 8_192;

/** The distinct terms beginning with `$1`, at most `$2` (a loose index scan: one primary-key probe per term). */
const TERMS_STARTING_WITH = `
  WITH RECURSIVE found(term) AS (
    (SELECT term FROM search_terms WHERE term ^@ $1 ORDER BY term LIMIT 1)
    UNION ALL
    SELECT (SELECT t.term FROM search_terms t WHERE t.term > found.term AND t.term ^@ $1 ORDER BY t.term LIMIT 1)
    FROM found WHERE found.term IS NOT NULL
  )
  SELECT term FROM found WHERE term IS NOT NULL LIMIT $2`;

/** Records how far each document is indexed (`IndexedThrough`), in the caller's transaction. */
async function writeClocks(client: pg.Pool | pg.ClientBase, through: readonly IndexedThrough[]): Promise<void> {
  await client.query(
    `INSERT INTO search_clocks (doc_name, next_clock) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (doc_name) DO UPDATE SET next_clock = excluded.next_clock`,
    [through.map((t) => t.docName), through.map((t) => t.nextClock)],
  );
}

/** The records' columns, and their rows from the parameters of `recordParams`. */
const RECORD_COLUMNS = '(conversation_id, message_id, author, text, created_at, seq, terms)';
const recordsFrom = `SELECT c, m, a, t, ca, s, ARRAY(SELECT jsonb_array_elements_text(tr))
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::jsonb[]) AS r(c, m, a, t, ca, s, tr)`;

function recordParams(rows: ReadonlyArray<{ conversationId: string; message: IndexedMessage }>): unknown[] {
  return [
    rows.map((row) => row.conversationId),
    rows.map((row) => row.message.messageId),
    rows.map((row) => row.message.author),
    rows.map((row) => row.message.text),
    rows.map((row) => row.message.createdAt),
    rows.map((row) => row.message.seq),
    rows.map((row) => JSON.stringify(row.message.terms)),
  ];
}

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

  constructor(
    private readonly pool: pg.Pool,
    { termScanLimit = TERM_SCAN_LIMIT, recordScanLimit = RECORD_SCAN_LIMIT }: ScanLimits = {},
  ) {
    this.termScanLimit = termScanLimit;
    this.recordScanLimit = recordScanLimit;
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
   * One transaction: the records of what goes or changes are read, their
   * postings deleted (by the terms and time they were indexed under), then
   * the records are upserted and their postings written, each a multi-row
   * statement. The reads and deletes are per-key probes written so (LATERAL,
   * ctid) that no plan can turn them into a scan of the whole index, whatever
   * the table's statistics say (a bulk load outruns autovacuum's).
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
      const { rows: old } = await client.query<{ conversation_id: string; message_id: string; created_at: string; terms: string[] }>(
        `SELECT m.conversation_id, m.message_id, m.created_at, m.terms
         FROM unnest($1::text[], $2::text[]) AS r(c, id),
              LATERAL (SELECT * FROM search_messages WHERE conversation_id = r.c AND message_id = r.id) AS m`,
        [touched.map((r) => r.conversationId), touched.map((r) => r.messageId)],
      );
      const stale = old.flatMap((row) => row.terms.map((term) => [term, row.created_at, row.conversation_id, row.message_id] as const));
      if (stale.length > 0) {
        await client.query(
          `DELETE FROM search_terms WHERE ctid = ANY(ARRAY(
             SELECT t.ctid FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) AS k(term, ca, c, id),
               LATERAL (SELECT ctid FROM search_terms
                        WHERE term = k.term AND created_at = k.ca AND conversation_id = k.c AND message_id = k.id) AS t))`,
          [stale.map((p) => p[0]), stale.map((p) => p[1]), stale.map((p) => p[2]), stale.map((p) => p[3])],
        );
      }
      if (removed.length > 0) {
        await client.query(
          `DELETE FROM search_messages m USING unnest($1::text[], $2::text[]) AS r(c, id)
           WHERE m.conversation_id = r.c AND m.message_id = r.id`,
          [removed.map((r) => r.conversationId), removed.map((r) => r.messageId)],
        );
      }
      if (rows.length === 0) return;
      // Plain inserts where the read above found no record (a new message, the usual case), an update where it found
      // one: no speculative insert (`ON CONFLICT`), which cost each row one more key probe and WAL record (issue 11,
      // session 12). The read and the writes are one transaction; another relay writing the same message at once
      // makes one of the two fail on the key, and its queue indexes those documents whole again (index-write-queue.ts).
      const held = new Set(old.map((row) => recordKey(row.conversation_id, row.message_id)));
      // A record deleted above (an id taken out of one document and put in another of the same write) is written anew.
      for (const { conversationId, messageId } of removed) held.delete(recordKey(conversationId, messageId));
      const added = rows.filter((row) => !held.has(recordKey(row.conversationId, row.message.messageId)));
      const changed = rows.filter((row) => held.has(recordKey(row.conversationId, row.message.messageId)));
      if (added.length > 0) await client.query(`INSERT INTO search_messages ${RECORD_COLUMNS} ${recordsFrom}`, recordParams(added));
      if (changed.length > 0) {
        await client.query(
          `UPDATE search_messages m SET author = r.a, text = r.t, created_at = r.ca, seq = r.s, terms = r.tr
           FROM (${recordsFrom}) AS r(c, m, a, t, ca, s, tr) WHERE m.conversation_id = r.c AND m.message_id = r.m`,
          recordParams(changed),
        );
      }
      // Every stale posting was deleted above, so none of these is there yet.
      const postings = rows.flatMap(({ conversationId, message }) =>
        [...new Set(message.terms)].map((term) => [term, message.createdAt, conversationId, message.messageId] as const),
      );
      await client.query(
        `INSERT INTO search_terms (term, created_at, conversation_id, message_id)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])`,
        [postings.map((p) => p[0]), postings.map((p) => p[1]), postings.map((p) => p[2]), postings.map((p) => p[3])],
      );
    });
  }

  /**
   * Pages of the driving term's postings (each term a prefix begins, merged)
   * newest first, read backwards in the primary key a page at a time
   * (keyset), until `limit` hits or `TERM_SCAN_LIMIT` postings. Each page is
   * one statement: it reads the page, keeps the postings of the asker's
   * conversations whose record holds every other term, and answers those
   * and the page's last posting (where the next page starts), so an exact
   * query is usually one statement and a prefix one two (its terms first).
   * Pages of a bounded size keep every plan a bounded index scan: one
   * statement with the whole bound in it was planned as a scan of every
   * posting of the term and a sort (seconds, issue 18).
   */
  async candidates(conversationIds: readonly string[], wanted: readonly QueryTerm[], limit: number): Promise<IndexCandidate[]> {
    if (conversationIds.length === 0 || wanted.length === 0 || limit <= 0) return [];
    const driving = drivingTerm(wanted);
    const others = wanted.filter((term) => term !== driving);
    let terms: string[] | null = [driving.term];
    if (driving.prefix) {
      const { rows } = await this.pool.query<{ term: string }>(TERMS_STARTING_WITH, [driving.term, MAX_PREFIX_TERMS + 1]);
      terms = rows.length > MAX_PREFIX_TERMS ? null : rows.map((row) => row.term);
      if (terms?.length === 0) return [];
    }
    const params: unknown[] = [[...conversationIds], null, null, null];
    const param = (value: unknown) => `$${params.push(value)}`;
    // The conversations are checked on the page, not in its scan: with them in the scan, the planner took a person
    // in few conversations for a selective filter and read the term's every posting to sort them (0.5 s, issue 18).
    const branch = (condition: string) =>
      `SELECT conversation_id, message_id, created_at, conversation_id = ANY($1::text[]) AS mine FROM search_terms
       WHERE ${condition} AND (created_at, conversation_id, message_id) < ($2, $3, $4)`;
    const driven = terms ? terms.map((term) => branch(`term = ${param(term)}`)) : [branch(`term ^@ ${param(driving.term)}`)];
    // The other terms, only on a posting of the asker's (another conversation's record is never read): an exact
    // one by a probe of its own postings (the primary key, ~50 times cheaper than the message's row at 1,000,000), a
    // prefix one on the record.
    const exactOthers = others.filter((term) => !term.prefix);
    const prefixOthers = others.filter((term) => term.prefix);
    const checks = exactOthers.map(
      ({ term }) =>
        `EXISTS (SELECT 1 FROM search_terms o WHERE o.term = ${param(term)} AND o.created_at = p.created_at
           AND o.conversation_id = p.conversation_id AND o.message_id = p.message_id)`,
    );
    if (prefixOthers.length > 0) {
      const held = prefixOthers.map(({ term }) => `EXISTS (SELECT 1 FROM unnest(m.terms) AS held WHERE held ^@ ${param(term)})`);
      checks.push(`EXISTS (SELECT 1 FROM search_messages m
        WHERE m.conversation_id = p.conversation_id AND m.message_id = p.message_id AND ${held.join(' AND ')})`);
    }
    const hit = checks.length === 0 ? 'p.mine' : `CASE WHEN p.mine THEN ${checks.join(' AND ')} ELSE false END`;
    const limitParam = param(FIRST_PAGE);
    const page = `
      WITH page AS MATERIALIZED (
        SELECT *, row_number() OVER (ORDER BY created_at DESC, conversation_id DESC, message_id DESC) AS at FROM (
          ${driven.join(' UNION ALL ')} ORDER BY created_at DESC, conversation_id DESC, message_id DESC LIMIT ${limitParam}
        ) AS read
      )
      SELECT conversation_id, message_id, created_at, at, hit, last FROM (
        SELECT p.conversation_id, p.message_id, p.created_at, p.at, ${hit} AS hit, p.at = count(*) OVER () AS last FROM page p
      ) AS checked
      WHERE hit OR last ORDER BY at`;
    // Before the first page: past every posting.
    let after: [string, string, string] = ['9223372036854775807', '', ''];
    const found: IndexCandidate[] = [];
    // A person in few of the conversations, or terms that rarely meet, keep few of a page: the pages grow, so the round trips stay few.
    let read = 0;
    let exhausted = false;
    for (let size = FIRST_PAGE; found.length < limit && read < this.termScanLimit; size = Math.min(MAX_PAGE, size * 4)) {
      params.splice(1, 3, ...after);
      size = Math.min(size, this.termScanLimit - read);
      params[Number(limitParam.slice(1)) - 1] = size;
      const { rows } = await this.pool.query<{
        conversation_id: string;
        message_id: string;
        created_at: string;
        at: string;
        hit: boolean;
        last: boolean;
      }>(page, params);
      const last = rows[rows.length - 1];
      if (!last?.last) {
        exhausted = true;
        break;
      }
      const count = Number(last.at);
      read += count;
      after = [last.created_at, last.conversation_id, last.message_id];
      for (const row of rows) {
        if (found.length === limit) break;
        if (row.hit) found.push({ conversationId: row.conversation_id, messageId: row.message_id, createdAt: Number(row.created_at) });
      }
      if (count < size) {
        exhausted = true;
        break;
      }
    }
    // Stopped at the bound short of a page (not at the postings' end): a person in few conversations gets their records read.
    if (!exhausted && read >= this.termScanLimit && found.length < limit && new Set(conversationIds).size <= FEW_CONVERSATIONS) {
      const complete = await this.fromRecords(conversationIds, wanted, limit);
      if (complete) return complete;
    }
    return found.sort(newestFirst);
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
