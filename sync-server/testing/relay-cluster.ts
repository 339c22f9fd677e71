/**
 * A cluster of relay processes for a test (docs/SCALING.md, "Tests"): each
 * relay a child process of its own (relay-process.ts) on its own free port
 * and `DATA_DIR`, all on the test's PostgreSQL schema and Redis prefix, and
 * clients spread over them with no sticky routing. Call `useRelayCluster` at
 * the top of a test file (it registers vitest hooks); every relay, client and
 * directory of a test is gone after it.
 */
import type pg from 'pg';
import { afterEach } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { messagesOf } from '../../shared/schema.js';
import { observeNumbered, seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from './api-call.js';
import { openPool } from '../store/postgres/pool.js';
import { freePort } from './child-server.js';
import { befriend } from './direct-conversation.js';
import { RelayProcess } from './relay-process.js';
import type { ServerAddress } from './server-address.js';
import { openDoc, type SyncedClient, whenSynced } from './synced-client.js';
import { makeTempDir, removeDir } from './temp-dir.js';
import { createUser, type TestUser } from './test-users.js';
import { type TestRedisHandle, useTestRedis } from './use-test-redis.js';
import { type TestSchemaHandle, useTestSchema } from './use-test-schema.js';

export interface ClusterOptions {
  /** `DATABASE_LEASE_MS` of every relay: short, so a dead owner's documents are taken over quickly. */
  leaseMs?: number;
  /** The Redis the relays use (a private one); the test's shared Redis by default. */
  redisUrl?: string;
  /** The PostgreSQL the relays use (a private one); the test's schema on the shared one by default. */
  databaseUrl?: string;
  /** More environment for every relay. */
  env?: NodeJS.ProcessEnv;
}

export interface RelayCluster {
  readonly postgres: TestSchemaHandle;
  readonly redis: TestRedisHandle;
  /** Starts `count` relays at once and resolves when every one answers. */
  start(count: number, options?: ClusterOptions): Promise<RelayProcess[]>;
  /** A person's client on `relay`, reconnecting quickly; destroyed after the test. */
  open(relay: ServerAddress, user: Pick<TestUser, 'cookie'>, docName: string): SyncedClient;
  /** Registers anything with `destroy()` to be destroyed after the test, before the relays go. */
  track<T extends { destroy(): void }>(thing: T): T;
  /** A pool on the relays' PostgreSQL and schema (the test schema's, or the private one given to `start`). */
  readonly database: pg.Pool;
  /** The relay whose lease `doc.owner` names, if any of this test's relays announced it. */
  ownerOf(docName: string): Promise<RelayProcess | undefined>;
  /** Polls `doc.owner` (every 50 ms, at most `timeoutMs`) until one of this test's running relays other than `not` owns the document. */
  waitForOwner(docName: string, not?: RelayProcess, timeoutMs?: number): Promise<RelayProcess>;
  /** The lease id `doc.owner` names now (null while nobody owns the document). */
  ownerLeaseOf(docName: string): Promise<string | null>;
  /**
   * Polls `doc.owner` until a claim other than `endedLease` holds the document on a running relay. After a kill, that
   * claim may be the killed relay's own restart (a new lease, a new epoch): what ended is the claim, not the port.
   */
  waitForNewClaim(docName: string, endedLease: string, timeoutMs?: number): Promise<RelayProcess>;
  /** The document as the PostgreSQL log holds it (every stored entry applied). */
  stored(docName: string): Promise<Y.Doc>;
  /** The scene the failure tests share: three relays, three people in a group, each person's client on another relay, synced. */
  startThreeWriters(options?: ClusterOptions): Promise<ThreeWriters>;
}

/** One person writing through their own client, on one relay of the cluster. */
export interface ClusterWriter {
  person: TestUser;
  relay: RelayProcess;
  client: SyncedClient;
}

export interface ThreeWriters {
  relays: RelayProcess[];
  /** Ada, Bob and Cy; Ada made the group. */
  people: TestUser[];
  /** The group's conversation document. */
  docName: string;
  /** Person i on relay i, synced. */
  writers: ClusterWriter[];
  /** Every number each writer's replica showed from the moment it synced (recordNumbers), in the writers' order. */
  seen: Array<Map<string, number[]>>;
}

/** `owner` befriends each member and makes a group of them all, through `relay`; returns its id. */
export async function groupThrough(relay: ServerAddress, owner: TestUser, members: TestUser[], title = 'Relays'): Promise<string> {
  for (const member of members) await befriend(relay, owner, member);
  const created = await api<{ id: string }>(relay, 'POST', '/api/conversations', {
    cookie: owner.cookie,
    body: { kind: 'group', title, memberIds: members.map((m) => m.id) },
  });
  if (created.status !== 201) throw new Error(`group failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Resolves with the code of the client's next closed connection that `matches` (any by default); fails after `timeoutMs`. */
export function nextClose(client: SyncedClient, timeoutMs = 10_000, matches: (code: number) => boolean = () => true): Promise<number> {
  return new Promise((resolve, reject) => {
    const onClose = (event: { code?: number } | null) => {
      const code = event?.code ?? 0;
      if (!matches(code)) return;
      clearTimeout(timer);
      client.provider.off('connection-close', onClose);
      resolve(code);
    };
    const timer = setTimeout(() => {
      client.provider.off('connection-close', onClose);
      reject(new Error(`no connection closed within ${timeoutMs} ms`));
    }, timeoutMs);
    client.provider.on('connection-close', onClose);
  });
}

export interface SteadyLoad {
  /** Ids of every message written so far, in order. */
  readonly written: string[];
  /** Stops writing (what was written stays with the clients, to be handed over). */
  stop(): void;
}

/** Each writer writes a message every `everyMs` (a paced load), until stopped; at most `limit` each. */
export function writeSteadily(writers: Array<{ client: SyncedClient; person: TestUser }>, everyMs: number, limit = 2000): SteadyLoad {
  const written: string[] = [];
  let count = 0;
  const timer = setInterval(() => {
    if (++count > limit) return clearInterval(timer);
    for (const { client, person } of writers) written.push(writeMessage(client.doc, person.id, `${person.name} ${count}`).id);
  }, everyMs);
  return { written, stop: () => clearInterval(timer) };
}

/**
 * Every number each message was seen with on this replica, from now on: one
 * number per message when nothing was lost or numbered twice. A message seen
 * with a number that the log does not hold was shown and then lost.
 */
export function recordNumbers(doc: Y.Doc): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  const note = (id: string) => {
    const number = seqIndexOf(doc).get(id);
    if (number === undefined) return;
    const numbers = seen.get(id) ?? [];
    if (numbers.at(-1) !== number) numbers.push(number);
    seen.set(id, numbers);
  };
  for (const id of seqIndexOf(doc).keys()) note(id);
  observeNumbered(doc, (ids) => {
    for (const id of ids) note(id);
  });
  return seen;
}

/** The message ids with their numbers and texts, sorted, for comparing replicas. */
export function numbered(doc: Y.Doc): Array<[string, number | undefined, string | undefined]> {
  return [...messagesOf(doc).keys()].sort().map((id) => [id, seqIndexOf(doc).get(id), messagesOf(doc).get(id)?.text]);
}

/** The sorted numbers of a replica's messages. */
export function sortedNumbers(doc: Y.Doc): number[] {
  return [...seqIndexOf(doc).values()].sort((a, b) => a - b);
}

/** 1..n */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

export function useRelayCluster(): RelayCluster {
  const postgres = useTestSchema({ each: true });
  const redis = useTestRedis();
  const relays: RelayProcess[] = [];
  const tracked: { destroy(): void }[] = [];
  const dirs: string[] = [];
  /** A pool on the relays' own PostgreSQL when it is not the test schema's (a private one). */
  let privateDatabase: pg.Pool | undefined;
  const database = () => privateDatabase ?? postgres.pool;

  // Registered after the schema's and Redis's hooks, so it runs before them (vitest runs after-hooks as a stack).
  afterEach(async () => {
    for (const thing of tracked.splice(0)) thing.destroy();
    await Promise.all(relays.splice(0).map((relay) => relay.kill()));
    await Promise.all(dirs.splice(0).map(removeDir));
    await privateDatabase?.end();
    privateDatabase = undefined;
  });

  const track = <T extends { destroy(): void }>(thing: T): T => {
    tracked.push(thing);
    return thing;
  };

  return {
    postgres,
    redis,
    track,
    get database() {
      return database();
    },
    async start(count, options = {}) {
      const env: NodeJS.ProcessEnv = {
        DATABASE_URL: options.databaseUrl ?? postgres.config.url,
        DATABASE_SCHEMA: postgres.config.schema,
        DATABASE_LEASE_MS: String(options.leaseMs ?? 1000),
        REDIS_URL: options.redisUrl ?? redis.config.url,
        REDIS_PREFIX: redis.config.keyPrefix,
        REDIS_RECONNECT_MAX_DELAY_MS: '200',
        DOC_UNLOAD_GRACE_MS: '100',
        ...options.env,
      };
      if (options.databaseUrl) privateDatabase ??= openPool({ ...postgres.config, url: options.databaseUrl });
      const started: RelayProcess[] = [];
      for (let i = 0; i < count; i++) {
        const dataDir = await makeTempDir('relay-cluster-');
        dirs.push(dataDir);
        started.push(new RelayProcess(`relay ${relays.length + i + 1}`, await freePort(), await freePort(), dataDir, env));
      }
      relays.push(...started);
      await Promise.all(started.map((relay) => relay.start()));
      return started;
    },
    open(relay, user, docName) {
      return track(openDoc(relay, user, docName, new Y.Doc(), { maxBackoffTime: 300 }));
    },
    async ownerLeaseOf(docName) {
      const { rows } = await database().query<{ owner: string | null }>('SELECT owner FROM doc WHERE name = $1', [docName]);
      return rows[0]?.owner ?? null;
    },
    async ownerOf(docName) {
      const owner = await this.ownerLeaseOf(docName);
      return owner ? relays.find((relay) => relay.leaseIds.includes(owner)) : undefined;
    },
    async waitForNewClaim(docName, endedLease, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (let round = 0; round <= timeoutMs / 50; round++) {
        const lease = await this.ownerLeaseOf(docName);
        const owner = lease && lease !== endedLease ? relays.find((relay) => relay.leaseIds.includes(lease)) : undefined;
        if (owner?.running) return owner;
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no claim but ${endedLease} took ${docName} over within ${timeoutMs} ms`);
    },
    async waitForOwner(docName, not, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (let round = 0; round <= timeoutMs / 50; round++) {
        const owner = await this.ownerOf(docName);
        if (owner && owner !== not && owner.running) return owner;
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no relay took ${docName} over within ${timeoutMs} ms`);
    },
    async startThreeWriters(options) {
      const relays = await this.start(3, options);
      const people = [await createUser(relays[0], 'Ada'), await createUser(relays[0], 'Bob'), await createUser(relays[0], 'Cy')];
      const docName = convDocName(await groupThrough(relays[0], people[0], people.slice(1)));
      const writers = people.map((person, i) => ({ person, relay: relays[i], client: this.open(relays[i], person, docName) }));
      await Promise.all(writers.map(({ client }) => whenSynced(client)));
      return { relays, people, docName, writers, seen: writers.map(({ client }) => recordNumbers(client.doc)) };
    },
    async stored(docName) {
      const { rows } = await database().query<{ update: Buffer }>('SELECT update FROM doc_update WHERE name = $1 ORDER BY clock', [
        docName,
      ]);
      const doc = new Y.Doc();
      for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.update));
      return doc;
    },
  };
}
