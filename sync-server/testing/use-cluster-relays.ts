/**
 * The relays of a cluster test (docs/SCALING.md): real servers sharing the
 * test's PostgreSQL schema and Redis prefix, each with a DATA_DIR of its own,
 * in this process or as a child process the test may SIGSTOP or SIGKILL; all
 * closed, killed and their folders removed after each test. Call at the top of
 * a test file after `useTestSchema({ each: true })` and `useTestRedis()`: vitest
 * runs after-hooks in reverse, so the file's own after-hook (closing its
 * clients) runs before these relays close, and the schema goes after them.
 */
import { afterEach } from 'vitest';
import type { ServerConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import { ChildServer, freePort } from './child-server.js';
import { startTestServer } from './start-test-server.js';
import { makeTempDir, removeDir } from './temp-dir.js';
import type { TestRedisHandle } from './use-test-redis.js';
import type { TestSchemaHandle } from './use-test-schema.js';

export interface ClusterRelays {
  /** `count` relays in this process, each holding its leases `leaseMs`; `more` overrides any setting (a Redis behind a proxy, say). */
  start(count: number, leaseMs?: number, more?: Partial<ServerConfig>): Promise<RunningServer[]>;
  /** One relay in a child process, started (it answers /api/health), holding its leases `leaseMs`. */
  startChild(leaseMs: number): Promise<ChildServer>;
  /** The lease id of the relay that owns `docName` now, or null when nobody does. */
  ownerOf(docName: string): Promise<string | null>;
}

export function useClusterRelays(postgres: TestSchemaHandle, redis: TestRedisHandle): ClusterRelays {
  const relays: RunningServer[] = [];
  const children: ChildServer[] = [];
  const dirs: string[] = [];

  async function dataDir(): Promise<string> {
    const dir = await makeTempDir();
    dirs.push(dir);
    return dir;
  }

  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.close();
    for (const child of children.splice(0)) await child.kill();
    for (const dir of dirs.splice(0)) await removeDir(dir);
  });

  return {
    async start(count, leaseMs = 5000, more = {}) {
      const started: RunningServer[] = [];
      for (let i = 0; i < count; i++) {
        const config = { dataDir: await dataDir(), postgres: { ...postgres.config, leaseMs }, redis: redis.config, ...more };
        started.push(await startTestServer(config));
      }
      relays.push(...started);
      return started;
    },
    async startChild(leaseMs) {
      const child = new ChildServer(await freePort(), await dataDir(), {
        DATABASE_URL: postgres.config.url,
        DATABASE_SCHEMA: postgres.config.schema,
        DATABASE_LEASE_MS: String(leaseMs),
        REDIS_URL: redis.config.url,
        REDIS_PREFIX: redis.config.keyPrefix,
      });
      children.push(child);
      await child.start();
      return child;
    },
    async ownerOf(docName) {
      const { rows } = await postgres.pool.query<{ owner: string | null }>('SELECT owner FROM doc WHERE name = $1', [docName]);
      return rows[0]?.owner ?? null;
    },
  };
}
