/**
 * Who wants the mail digest, kept in each relay's memory, stays the same on
 * every relay: a change through one relay is told to the others over the
 * cluster bus (a real Redis), which re-read that person's settings from the
 * shared PostgreSQL at once, not at their next periodic re-read.
 */
import { afterEach, expect, it } from 'vitest';
import type { ClusterBus } from '../cluster/cluster-bus.js';
import { RedisClusterBus } from '../cluster/redis-cluster-bus.js';
import { PostgresPushPreferenceStore } from '../store/postgres/postgres-push-preferences.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { PushPreferences } from './push-preferences.js';

const postgres = useSchemaPerTest();
const redis = useTestRedis();
const opened: Array<PushPreferences | ClusterBus> = [];

afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

/** Periodic re-reads only once a minute: within the test, only the bus can tell a relay of a change. */
const RECHECK_MS = 60_000;

function bus(): ClusterBus {
  const node = new RedisClusterBus(redis.connect(), redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
  opened.push(node);
  return node;
}

async function relay(pool: 'pool' | 'otherPool', withBus: boolean): Promise<PushPreferences> {
  const store = new PostgresPushPreferenceStore(postgres[pool](), RECHECK_MS);
  const preferences = await PushPreferences.open(store, quietLogger, { bus: withBus ? bus() : null });
  opened.push(preferences);
  return preferences;
}

/** Resolves with the next person `preferences` re-read because a relay told of a change; fails after 5 s. */
function nextReread(preferences: PushPreferences): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('no re-read within 5 s'));
    }, 5000);
    const stop = preferences.onReread((userId) => {
      clearTimeout(timer);
      stop();
      resolve(userId);
    });
  });
}

it('a digest turned on and off through one relay is known on another as soon as the bus tells it', async () => {
  const first = await relay('pool', true);
  const second = await relay('otherPool', true);
  // A relay without the bus is the control: it learns only at its periodic re-read.
  const deaf = await relay('otherPool', false);
  expect(second.digestAfterNow('u1')).toBeUndefined();

  let told = nextReread(second);
  await first.change('u1', { digestAfterMinutes: 60 }, 'en');
  expect(await told).toBe('u1');
  expect(second.digestAfterNow('u1')).toBe(60);
  expect(deaf.digestAfterNow('u1')).toBeUndefined();

  told = nextReread(second);
  await first.change('u1', { digestAfterMinutes: null }, 'en');
  expect(await told).toBe('u1');
  expect(second.digestAfterNow('u1')).toBeUndefined();
  expect(first.digestAfterNow('u1')).toBeUndefined();
});
