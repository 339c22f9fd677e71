/**
 * What a cluster owner's writes allocate, one at a time (issue 11, session 15): a group commit of one room's
 * one-update batch (PostgresDocumentLog.append through the server's TimedDocumentLog, as at the quiet cluster bench's ~1 group a message) and the
 * committed batch's PUBLISH (RedisClusterBus.publish, `immediately`), each awaited before the next, so the
 * grouping is the quiet one whatever the machine's load. The bytes come from V8's sampling heap profiler in this
 * process (collected objects included) and are printed per operation, by package, by allocating function and by
 * the nearest function of ours (heap-profile-tables.ts). Counts, not timings: they hold on a loaded machine,
 * where cluster-costs.ts's runs group many messages per commit.
 *
 *   npx tsx bench/prototypes/owner-write-allocations.ts [--appends 3000] [--publishes 3000]
 *
 * PostgreSQL: TEST_DATABASE_URL (a schema of its own, dropped at the end); Redis: TEST_REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { batchChannel } from '../../sync-server/cluster/bus-channels.js';
import { RedisClusterBus } from '../../sync-server/cluster/redis-cluster-bus.js';
import { connectRedis, disconnectRedis } from '../../sync-server/cluster/redis-connection.js';
import { TimedDocumentLog } from '../../sync-server/operations/timed-document-log.js';
import { migrate } from '../../sync-server/store/postgres/migrations.js';
import { DEFAULT_POSTGRES, openPool } from '../../sync-server/store/postgres/pool.js';
import { PostgresDocumentLog } from '../../sync-server/store/postgres/postgres-document-log.js';
import { ProcessLease } from '../../sync-server/store/postgres/process-lease.js';
import { quietLogger } from '../../sync-server/testing/quiet-logger.js';
import { printTable, sampledBytes } from './heap-profile-tables.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const APPENDS = option('--appends', 3000);
const PUBLISHES = option('--publishes', 3000);
const ROOMS = 10;
const WARM_UP = 300;

/** A chat-sized update (the cluster bench's frames are ~250 B). */
function chatUpdate(i: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(`message-${i}`, 'x'.repeat(200));
  return Y.encodeStateAsUpdate(doc);
}

/** Runs `work` under V8's sampling heap profiler and prints the bytes per operation. */
async function sampled(title: string, operations: number, work: () => Promise<void>): Promise<void> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<{ profile?: unknown }>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as { profile?: unknown }))),
    );
  await post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await work();
  const { profile } = await post('HeapProfiler.stopSampling');
  session.disconnect();
  const file = path.join(os.tmpdir(), `owner-write-allocations-${process.pid}-${title.replaceAll(' ', '-')}.heapprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const bytes = sampledBytes(file);
  console.log(`\n## ${title}: ${Math.round(bytes.total / operations)} B an operation (${operations}; profile ${file})`);
  printTable('by package', bytes.byPackage, bytes.total, operations, 12);
  printTable('self (the function that allocated)', bytes.self, bytes.total, operations, 20);
  printTable('nearest function of ours on the stack', bytes.nearestOurs, bytes.total, operations, 20);
}

async function main(): Promise<void> {
  const schema = `bench_owner_${randomBytes(4).toString('hex')}`;
  const pool = openPool({ ...DEFAULT_POSTGRES, url: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test', schema });
  await migrate(pool, schema);
  const lease = await ProcessLease.start(pool, { leaseMs: 60_000 });
  const redisConfig = {
    url: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
    keyPrefix: `bench-owner:${randomBytes(4).toString('hex')}:`,
    connectTimeoutMs: 1000,
    commandTimeoutMs: 1000,
    reconnectMaxDelayMs: 200,
  };
  const publisher = connectRedis(redisConfig, 'publisher', quietLogger);
  const subscriber = connectRedis(redisConfig, 'subscriber', quietLogger);
  try {
    const postgresLog = new PostgresDocumentLog(pool, lease);
    // As the server wraps it (its timer here records nothing, so only the wrapper's own bytes count).
    const log = new TimedDocumentLog(postgresLog, { committed: () => {} });
    const rooms = Array.from({ length: ROOMS }, (_, i) => `conv/bench-${i}`);
    const nextClock = new Map<string, number>();
    for (const room of rooms) nextClock.set(room, (await log.load(room)).nextClock);
    const updates = Array.from({ length: 64 }, (_, i) => chatUpdate(i));
    let n = 0;
    const appendOne = async () => {
      const room = rooms[n % ROOMS];
      const clock = nextClock.get(room) ?? 0;
      const outcome = await log.append(room, { updates: [updates[n % updates.length]], clientOwners: [] }, clock);
      if (!outcome.stored) throw new Error(`append refused at ${room} ${clock}`);
      nextClock.set(room, clock + 1);
      n++;
    };
    for (let i = 0; i < WARM_UP; i++) await appendOne();
    await sampled('group commit of one update', APPENDS, async () => {
      for (let i = 0; i < APPENDS; i++) await appendOne();
    });

    const bus = new RedisClusterBus(publisher, subscriber, redisConfig.keyPrefix, quietLogger);
    const publishOne = (i: number) =>
      bus.publish(
        batchChannel(rooms[i % ROOMS]),
        { docName: rooms[i % ROOMS], fromClock: i, toClock: i + 1, update: updates[i % 64] },
        { immediately: true },
      );
    for (let i = 0; i < WARM_UP; i++) await publishOne(i);
    await sampled('committed batch published', PUBLISHES, async () => {
      for (let i = 0; i < PUBLISHES; i++) await publishOne(i);
    });
    await bus.close();
    console.log(`\ngroups ${postgresLog.groups}, appends ${postgresLog.appends}`);
  } finally {
    lease.stop();
    await Promise.all([disconnectRedis(publisher), disconnectRedis(subscriber)]);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

await main();
