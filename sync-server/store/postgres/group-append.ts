/**
 * The group commit of the PostgreSQL document log: the batches of every room
 * this relay owns that are ready together go to PostgreSQL in one
 * transaction, so commits (each a WAL flush) follow the load, not the
 * message count. On an idle machine every message used to pay its own
 * commit (1,357 per 1,000 messages in the quiet cluster benchmark,
 * docs/PERFORMANCE.md), where one commit could carry every room's batch.
 *
 * - Appends made during one turn of the event loop are written together at
 *   its end (`setImmediate`, after the sockets read in this turn). Up to
 *   `groupsInFlight` groups are on their way at once, each on a pool
 *   connection of its own: a turn's group starts at once while a slot is
 *   free, so a message does not wait for another group's commit before its
 *   own starts (with one group in flight, the quiet cluster of one's p50 went
 *   from 1.44 to 5.92 ms, docs/PERFORMANCE.md); only when every slot is busy
 *   do appends gather for the next free one. No timer holds a message back.
 * - **A document's batches commit in clock order.** A document with a batch
 *   in a group on its way keeps its next batch out of any other group until
 *   that one is answered (turn-groups.ts, by document name): groups in flight
 *   at once never share a `doc` row, so they never wait on each other's row
 *   locks, and the `next_clock` fence of the next batch is checked against
 *   the committed result of the previous one. (A room sends its next batch
 *   only after the previous was answered anyway; what this orders is a
 *   reloaded room's batch after its failed copy's.)
 * - **Each room is still fenced on its own.** The group is one statement
 *   whose first part is the fence of every batch at once,
 *   `UPDATE doc … FROM batch WHERE doc.name = batch.name AND doc.epoch =
 *   batch.epoch AND doc.next_clock = batch.clock`; the log rows and client
 *   owners are inserted only for the batches that `UPDATE` moved (they join
 *   its result). A room whose document another relay claimed, or whose clock
 *   is stale, moves no row and writes nothing, and only its append answers
 *   `{stored: false}`; the others commit with the same transaction. No
 *   savepoints are needed, since a failed fence is a row not matched, not an
 *   error. The row lock each `UPDATE` takes orders it against a claim exactly
 *   as a single append's did (docs/SCALING.md, "Append, fenced").
 * - One round trip per group: one statement, arrays for every table (a
 *   multi-row insert each), prepared once per connection (`name`), so
 *   PostgreSQL does not parse and plan it per commit. The updates travel as
 *   one binary `bytea` (each entry's start and length beside it), not as a
 *   `bytea[]`, which pg sends as a text literal: every byte two hex digits,
 *   written by the relay and parsed back by PostgreSQL (docs/PERFORMANCE.md,
 *   issue 11, session 14).
 * - A statement that fails (PostgreSQL out of reach) fails every append of
 *   its group, each of whose rooms then fails as on any write error (1013).
 *
 * Nobody is answered before the transaction committed, so
 * write-before-broadcast holds for every room in it.
 *
 * **Shared heads ride along** (participants/head-table.ts, issue 11): a
 * conversation's head (`rideHead`) waits up to `rideMs` for the next group
 * and is inserted by the same statement, rather than paying a commit of its
 * own (22 per 200 messages at a trickle, docs/PERFORMANCE.md). Its `rev`
 * still comes from the cluster's one sequence and a stored later rev is
 * never overwritten, as in `PostgresHeadRecords.putNext`; it is answered
 * only after the commit, so nobody is sent a head that is not stored. No
 * group comes within `rideMs` (an idle relay): the heads waiting go alone,
 * by the same statement with no appends. A head whose JSON has a `\u`
 * escape (a control character or a lone surrogate, which `jsonb` may
 * refuse) never rides: it goes alone at once, so it can fail nobody's batch.
 * One head per conversation per statement (`ON CONFLICT` may not touch a row
 * twice); a second waits for the next.
 */
import type pg from 'pg';
import type { AppendOutcome, LogBatch } from '../document-log.js';
import { TurnGroups } from '../turn-groups.js';
import { arrayLiteral, withInteger, withText } from './array-literals.js';

/** One room's batch, fenced by the epoch of its claim and the clock its room expects. */
export interface FencedAppend {
  docName: string;
  epoch: number;
  batch: LogBatch;
  expectedNextClock: number;
}

interface Queued extends FencedAppend {
  answer(outcome: AppendOutcome): void;
  failed(error: unknown): void;
}

/** pg sends a Buffer as bytea, also inside an array; a Uint8Array it would not. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The group's statement, built from the parts this group needs: a part with nothing to write still costs its
 * executor start-up (each data-modifying part opens its table and indexes, and an `ON CONFLICT` part builds its
 * projections) every time. Client owners are new in a few batches only, and heads ride a group at most once per
 * conversation per `HEADS_COALESCE_MS`, so most groups are the log's part alone: PostgreSQL's backend CPU per
 * statement 88-100 µs with every part, 68-70 µs with the log's alone (synchronous_commit off, so the flush's
 * noise is out; docs/PERFORMANCE.md, "Session 11"). Each variant is its own named (prepared) statement.
 *
 * `slot` is the append's place in the group. A document appears in a group once at most (the queue holds a second
 * batch of it for a later group), but the slot keeps the join exact whatever the names.
 */
interface StatementParts {
  appends: boolean;
  owners: boolean;
  heads: boolean;
}

/** Each variant's statement, by its parts' bits (five at most: owners only with appends, and never neither appends nor heads). */
const statements: Array<{ name: string; text: string } | undefined> = [];

export function groupAppendStatement(parts: StatementParts): { name: string; text: string } {
  // Found by the parts' bits, not by a name made per group.
  const variant = (Number(parts.appends) << 2) | (Number(parts.owners && parts.appends) << 1) | Number(parts.heads);
  const known = statements[variant];
  if (known) return known;
  const name = `happychat-group-append-${Number(parts.appends)}${Number(parts.owners && parts.appends)}${Number(parts.heads)}`;
  let next = 0;
  const param = () => `$${++next}`;
  const ctes: string[] = [];
  const results: string[] = [];
  if (parts.appends) {
    const batch = [param(), param(), param(), param(), param()];
    // The group's updates, one after another in one binary parameter (pg would send a bytea[] as text: each byte
    // as two hex digits, parsed by array_in on PostgreSQL's side); each entry names its place in it.
    const [entrySlots, entryAts, entryStarts, entryLengths, updates] = [param(), param(), param(), param(), param()];
    ctes.push(
      `batch AS (
    SELECT * FROM unnest(${batch[0]}::int[], ${batch[1]}::text[], ${batch[2]}::bigint[], ${batch[3]}::bigint[], ${batch[4]}::bigint[]) AS b (slot, name, epoch, clock, n)
  )`,
      `moved AS (
    UPDATE doc SET next_clock = doc.next_clock + batch.n
      FROM batch
     WHERE doc.name = batch.name AND doc.epoch = batch.epoch AND doc.next_clock = batch.clock
    RETURNING batch.slot, batch.name, batch.clock
  )`,
      `entries AS (
    INSERT INTO doc_update (name, clock, update)
    SELECT moved.name, moved.clock + entry.at, substring(${updates}::bytea FROM entry.start FOR entry.length)
      FROM moved JOIN unnest(${entrySlots}::int[], ${entryAts}::bigint[], ${entryStarts}::int[], ${entryLengths}::int[]) AS entry (slot, at, start, length) ON entry.slot = moved.slot
  )`,
    );
    if (parts.owners)
      ctes.push(`owners AS (
    INSERT INTO doc_client_owner (name, client_id, user_id)
    SELECT DISTINCT ON (moved.name, owner.client_id) moved.name, owner.client_id, owner.user_id
      FROM moved JOIN unnest(${param()}::int[], ${param()}::bigint[], ${param()}::text[]) AS owner (slot, client_id, user_id) ON owner.slot = moved.slot
    ON CONFLICT (name, client_id) DO UPDATE SET user_id = EXCLUDED.user_id
  )`);
    results.push('SELECT slot, NULL::bigint AS rev FROM moved');
  }
  if (parts.heads) {
    const [slots, conversations, heads] = [param(), param(), param()];
    ctes.push(`heads AS (
    INSERT INTO shared_heads (conversation_id, rev, head)
    SELECT head.conversation_id, nextval('shared_head_rev'), head.head::jsonb
      FROM unnest(${slots}::int[], ${conversations}::text[], ${heads}::text[]) AS head (slot, conversation_id, head)
     ORDER BY head.conversation_id
    ON CONFLICT (conversation_id) DO UPDATE SET rev = excluded.rev, head = excluded.head, written_at = excluded.written_at
     WHERE shared_heads.rev < excluded.rev
    RETURNING conversation_id, rev
  )`);
    results.push(
      `SELECT -1 - head.slot AS slot, heads.rev FROM heads JOIN unnest(${slots}::int[], ${conversations}::text[]) AS head (slot, conversation_id) USING (conversation_id)`,
    );
  }
  const statement = { name, text: `WITH ${ctes.join(', ')}\n  ${results.join('\n  UNION ALL\n  ')}` };
  statements[variant] = statement;
  return statement;
}

/** A shared head waiting for a group: its JSON, and what to answer (its rev, or null when a later rev was stored first). */
interface Rider {
  conversationId: string;
  json: string;
  answer(rev: number | null): void;
  failed(error: unknown): void;
}

/** No heads to ride (one array for every group without them; never written to). */
const NO_RIDERS: Rider[] = [];
/** The answer of every stored append (read only). */
const STORED: AppendOutcome = Object.freeze({ stored: true });

/** How long a head waits for a group of appends to ride with before it goes alone (heads are coalesced per 500 ms anyway). */
export const HEAD_RIDE_MS = 50;

export class GroupAppend {
  private readonly queue: TurnGroups<Queued>;
  private riders: Rider[] = [];
  private rideTimer: NodeJS.Timeout | null = null;
  /** Heads written by a group of appends, and alone (tests, the bench). */
  headsRidden = 0;
  headsAlone = 0;

  /** `groupsInFlight`: groups on their way at once, each holding a pool connection while it commits. */
  constructor(
    private readonly pool: pg.Pool,
    groupsInFlight: number,
    private readonly rideMs = HEAD_RIDE_MS,
  ) {
    this.queue = new TurnGroups<Queued>({
      write: (group) => this.writeGroup(group),
      maxInFlight: groupsInFlight,
      keyOf: (append) => append.docName,
    });
  }

  /** Group commits made so far (tests, the bench). */
  get groups(): number {
    return this.queue.groups;
  }

  /** The appends those groups carried. */
  get appends(): number {
    return this.queue.items;
  }

  /** The most groups that were on their way at once (tests). */
  get mostInFlight(): number {
    return this.queue.mostInFlight;
  }

  /** Resolves once the batch is committed (with whatever else was ready), or refused by its fence. */
  append(request: FencedAppend): Promise<AppendOutcome> {
    return new Promise((answer, failed) => this.queue.add({ ...request, answer, failed }));
  }

  /**
   * Stores a conversation's shared head with the next group commit (or alone
   * after `rideMs`), numbered by `shared_head_rev`: resolves to its rev once
   * committed, or null when a head numbered later was stored first.
   */
  rideHead(conversationId: string, json: string): Promise<number | null> {
    return new Promise((answer, failed) => {
      const rider = { conversationId, json, answer, failed };
      if (json.includes('\\u')) {
        void this.writeAlone([rider]);
        return;
      }
      this.riders.push(rider);
      this.rideTimer ??= setTimeout(() => {
        this.rideTimer = null;
        void this.writeAlone(this.takeRiders());
      }, this.rideMs).unref();
    });
  }

  /** The waiting heads, one per conversation (a second waits for the next statement). */
  private takeRiders(): Rider[] {
    // Most groups carry no head: nothing to sort, so no set and no arrays are made.
    if (this.riders.length === 0) return NO_RIDERS;
    const taken: Rider[] = [];
    const later: Rider[] = [];
    const conversations = new Set<string>();
    for (const rider of this.riders) {
      if (conversations.has(rider.conversationId)) later.push(rider);
      else {
        conversations.add(rider.conversationId);
        taken.push(rider);
      }
    }
    this.riders = later;
    if (later.length === 0 && this.rideTimer) {
      clearTimeout(this.rideTimer);
      this.rideTimer = null;
    }
    return taken;
  }

  /** Heads that found no group: the same statement with no appends. */
  private async writeAlone(riders: Rider[]): Promise<void> {
    if (riders.length === 0) return;
    this.headsAlone += riders.length;
    try {
      const { revs } = await this.commit([], riders);
      for (const [slot, rider] of riders.entries()) rider.answer(revs?.get(slot) ?? null);
    } catch (error) {
      for (const rider of riders) rider.failed(error);
    }
    // A second head of a conversation left waiting goes with the next group, or alone.
    if (this.riders.length > 0 && !this.rideTimer) void this.writeAlone(this.takeRiders());
  }

  /**
   * A statement that fails rejects, and the queue fails every append of the group with it (and the heads that rode).
   * Not an async function: its suspended state was ~1 KB of a cluster owner's garbage per group (docs/PERFORMANCE.md,
   * issue 11, session 15).
   */
  private writeGroup(group: Queued[]): Promise<void> {
    const riders = this.takeRiders();
    this.headsRidden += riders.length;
    return this.commit(group, riders).then(
      (committed) => this.answerGroup(group, riders, committed),
      (error: unknown) => {
        for (const rider of riders) rider.failed(error);
        throw error;
      },
    );
  }

  /** The heads that rode get their revs and the stored appends their answer at once; a failure to read why the others were refused fails only those. */
  private answerGroup(group: readonly Queued[], riders: readonly Rider[], { moved, revs }: Committed): Promise<void> | undefined {
    for (let slot = 0; slot < riders.length; slot++) riders[slot].answer(revs?.get(slot) ?? null);
    for (let slot = 0; slot < group.length; slot++) if (moved.has(slot)) group[slot].answer(STORED);
    if (moved.size === group.length) return;
    return this.answerRefused(group.filter((_, slot) => !moved.has(slot)));
  }

  /**
   * One statement, so one transaction: returns the slots whose fence held
   * (those batches are stored) and the revs of the heads written (by their
   * place among `riders`).
   */
  private commit(group: readonly Queued[], riders: readonly Rider[]): Promise<Committed> {
    let query: pg.QueryArrayConfig | null;
    try {
      query = groupQuery(group, riders);
    } catch (error) {
      // Fails the group as a failed statement would, never in its caller's turn.
      return Promise.reject(error);
    }
    if (!query) return Promise.resolve({ moved: new Set(), revs: null });
    return this.pool.query<CommittedRow>(query).then(committedOf);
  }

  /** Refused (rare): reads where each document is now, to tell a stale clock from a lost claim. */
  private async answerRefused(refused: readonly Queued[]): Promise<void> {
    let rows: Array<{ name: string; epoch: string; next_clock: string }>;
    try {
      ({ rows } = await this.pool.query('SELECT name, epoch, next_clock FROM doc WHERE name = ANY($1)', [
        refused.map((append) => append.docName),
      ]));
    } catch (error) {
      for (const append of refused) append.failed(error);
      return;
    }
    const now = new Map(rows.map((row) => [row.name, { epoch: Number(row.epoch), nextClock: Number(row.next_clock) }]));
    for (const append of refused) {
      const row = now.get(append.docName);
      const nextClock = row?.nextClock ?? 0;
      append.answer(row && row.epoch === append.epoch ? { stored: false, nextClock } : { stored: false, nextClock, fenced: true });
    }
  }
}

/** What a group statement stored: the slots whose fence held, and the revs of the heads written by their place (null: none). */
interface Committed {
  moved: Set<number>;
  revs: Map<number, number> | null;
}

/** A row of the group statement's answer: an append's slot with a null rev, or `-1 - place` of a head with its rev (bigint, as text). */
type CommittedRow = [slot: number, rev: string | null];

/**
 * The group's statement with its parameters, in the order of its placeholders (groupAppendStatement); null when
 * there is nothing to write. A plain function, not part of the awaiting `commit`: a suspended async function keeps
 * every local it has, and this one has many. The arrays go as ready-made literals (array-literals.ts) and the
 * answer comes back as arrays, not as an object per row: fewer objects per group on a cluster owner, where a group
 * is about one message (docs/PERFORMANCE.md, issue 11, session 15).
 */
function groupQuery(group: readonly Queued[], riders: readonly Rider[]): pg.QueryArrayConfig | null {
  const appends = group.length > 0;
  const heads = riders.length > 0;
  if (!appends && !heads) return null;
  const values: Array<string | Buffer> = [];
  let owners = false;
  if (appends) {
    let slots = '';
    let names = '';
    let epochs = '';
    let clocks = '';
    let counts = '';
    let entrySlots = '';
    let entryAts = '';
    let entryStarts = '';
    let entryLengths = '';
    let ownerSlots = '';
    let clientIds = '';
    let userIds = '';
    let bytes = 0;
    for (let slot = 0; slot < group.length; slot++) {
      const { docName, epoch, expectedNextClock, batch } = group[slot];
      slots = withInteger(slots, slot);
      names = withText(names, docName);
      epochs = withInteger(epochs, epoch);
      clocks = withInteger(clocks, expectedNextClock);
      counts = withInteger(counts, batch.updates.length);
      for (let at = 0; at < batch.updates.length; at++) {
        const length = batch.updates[at].byteLength;
        entrySlots = withInteger(entrySlots, slot);
        entryAts = withInteger(entryAts, at);
        entryStarts = withInteger(entryStarts, bytes + 1); // substring counts from 1
        entryLengths = withInteger(entryLengths, length);
        bytes += length;
      }
      for (const [clientId, userId] of batch.clientOwners) {
        ownerSlots = withInteger(ownerSlots, slot);
        clientIds = withInteger(clientIds, clientId);
        userIds = withText(userIds, userId);
      }
    }
    values.push(
      arrayLiteral(slots),
      arrayLiteral(names),
      arrayLiteral(epochs),
      arrayLiteral(clocks),
      arrayLiteral(counts),
      arrayLiteral(entrySlots),
      arrayLiteral(entryAts),
      arrayLiteral(entryStarts),
      arrayLiteral(entryLengths),
      updatesOf(group, bytes),
    );
    owners = ownerSlots !== '';
    if (owners) values.push(arrayLiteral(ownerSlots), arrayLiteral(clientIds), arrayLiteral(userIds));
  }
  if (heads) {
    let slots = '';
    let conversations = '';
    let jsons = '';
    for (let slot = 0; slot < riders.length; slot++) {
      slots = withInteger(slots, slot);
      conversations = withText(conversations, riders[slot].conversationId);
      jsons = withText(jsons, riders[slot].json);
    }
    values.push(arrayLiteral(slots), arrayLiteral(conversations), arrayLiteral(jsons));
  }
  const { name, text } = groupAppendStatement({ appends, owners, heads });
  return { name, text, values, rowMode: 'array' };
}

/** The group's updates one after another (`bytes` in all), as one binary parameter. */
function updatesOf(group: readonly Queued[], bytes: number): Buffer {
  const updates = Buffer.allocUnsafe(bytes);
  let offset = 0;
  for (const { batch } of group) {
    for (const update of batch.updates) {
      updates.set(update, offset);
      offset += update.byteLength;
    }
  }
  return updates;
}

function committedOf({ rows }: pg.QueryArrayResult<CommittedRow>): Committed {
  const moved = new Set<number>();
  let revs: Map<number, number> | null = null;
  // revs stay far below 2^53.
  for (const row of rows) {
    if (row[0] >= 0) moved.add(row[0]);
    else (revs ??= new Map()).set(-1 - row[0], Number(row[1]));
  }
  return { moved, revs };
}
