/**
 * The cluster bus contract (cluster-bus.contract.ts) against both buses:
 * memory, and real Redis where a dropped connection is a CLIENT KILL of the
 * subscriber's connection. Plus what only Redis can show: bytes on a channel
 * that no relay wrote are dropped.
 */
import type { Redis } from 'ioredis';
import { beforeEach, expect, it } from 'vitest';
import { quietLogger } from '../testing/quiet-logger.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import type { Revocation } from '../relay/revocation.js';
import { revocationChannel } from './bus-channels.js';
import type { ClusterBus } from './cluster-bus.js';
import { clusterBusContract } from './cluster-bus.contract.js';
import { MemoryBusHub, MemoryClusterBus } from './memory-cluster-bus.js';
import { RedisClusterBus } from './redis-cluster-bus.js';

const redis = useTestRedis();

let hub = new MemoryBusHub(quietLogger);
beforeEach(() => {
  hub = new MemoryBusHub(quietLogger);
});

clusterBusContract('in-memory', {
  node: () => hub.node(),
  async drop(bus) {
    if (!(bus instanceof MemoryClusterBus)) throw new Error('not a memory bus');
    hub.disconnect(bus);
    setTimeout(() => hub.reconnect(bus), 20);
  },
});

const subscribers = new WeakMap<ClusterBus, Redis>();

clusterBusContract('Redis', {
  node() {
    const subscriber = redis.connect('subscriber');
    const bus = new RedisClusterBus(redis.connect(), subscriber, redis.config.keyPrefix, quietLogger);
    subscribers.set(bus, subscriber);
    return bus;
  },
  async drop(bus) {
    const subscriber = subscribers.get(bus);
    if (!subscriber) throw new Error('not a Redis bus of this test');
    await redis.kill(subscriber);
  },
});

it('drops bytes on a Redis channel that are not a message, and delivers the next one', async () => {
  const bus = new RedisClusterBus(redis.connect(), redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
  const received: Revocation[] = [];
  let arrived = () => {};
  const next = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  await bus.subscribe(revocationChannel, (revocation) => {
    received.push(revocation);
    arrived();
  });
  const raw = redis.connect();
  await raw.publish(`${redis.config.keyPrefix}revocations`, Buffer.from([9, 9, 9]));
  await raw.publish(`${redis.config.keyPrefix}revocations`, Buffer.from([]));
  await bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 's' });
  await next;
  expect(received).toEqual([{ kind: 'session-ended', sessionId: 's' }]);
});
