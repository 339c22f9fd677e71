/**
 * The cluster bus contract (cluster-bus.contract.ts) against both buses:
 * memory, and real Redis where a dropped connection is a CLIENT KILL of the
 * subscriber's connection. Plus what only Redis can show: bytes on a channel
 * that no relay wrote are dropped, and a follower catches up after Redis was
 * unreachable for a while.
 */
import net from 'node:net';
import type { Redis } from 'ioredis';
import { beforeEach, expect, it } from 'vitest';
import { quietLogger } from '../testing/quiet-logger.js';
import { FlakyProxy } from '../testing/flaky-proxy.js';
import { TEST_REDIS_URL, useTestRedis } from '../testing/use-test-redis.js';
import type { Revocation } from '../relay/revocation.js';
import { batchChannel, type CommittedBatch, revocationChannel } from './bus-channels.js';
import type { ClusterBus } from './cluster-bus.js';
import { clusterBusContract } from './cluster-bus.contract.js';
import { DocumentFollower } from './document-follower.js';
import { MemoryBusHub, MemoryClusterBus } from './memory-cluster-bus.js';
import { RedisClusterBus } from './redis-cluster-bus.js';
import { connectRedis, disconnectRedis } from './redis-connection.js';

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
    const bus = new RedisClusterBus(redis.connect('publisher'), subscriber, redis.config.keyPrefix, quietLogger);
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

it('refills a follower after Redis was unreachable for a while (every connection refused), then back', async () => {
  // The edge reaches Redis through a proxy that goes down as a crashed Redis would; the owner keeps its own connection.
  const proxy = new FlakyProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
  const port = await proxy.listen();
  try {
    const throughProxy = { ...redis.config, url: `redis://127.0.0.1:${port}` };
    const edgeSubscriber = connectRedis(throughProxy, 'subscriber', quietLogger);
    const edgeCommands = connectRedis(throughProxy, 'commands', quietLogger);
    const edge = new RedisClusterBus(edgeCommands, edgeSubscriber, redis.config.keyPrefix, quietLogger);
    const owner = new RedisClusterBus(redis.connect(), redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
    const store: CommittedBatch[] = [];
    const commit = (value: number): CommittedBatch => {
      const batch = { docName: 'conv/outage', fromClock: store.length, toClock: store.length + 1, update: new Uint8Array([value]) };
      store.push(batch);
      return batch;
    };
    const source = {
      async readSince(docName: string, fromClock: number): Promise<CommittedBatch | null> {
        const newer = store.filter((b) => b.toClock > fromClock);
        if (newer.length === 0) return null;
        return {
          docName,
          fromClock: newer[0].fromClock,
          toClock: newer.at(-1)?.toClock ?? fromClock,
          update: new Uint8Array(newer.flatMap((b) => [...b.update])),
        };
      },
    };
    const applied: number[] = [];
    let caughtUp = () => {};
    const allThree = new Promise<void>((resolve) => {
      caughtUp = resolve;
    });
    const follower = await DocumentFollower.start(
      edge,
      'conv/outage',
      source,
      (batch) => {
        applied.push(...batch.update);
        if (applied.length === 3) caughtUp();
      },
      quietLogger,
    );
    await owner.publish(batchChannel('conv/outage'), commit(1));
    const reconnected = new Promise<void>((resolve) => edge.onReconnect(resolve));
    proxy.down();
    // Published while the edge cannot reach Redis: lost for it, and several reconnection attempts fail meanwhile.
    await owner.publish(batchChannel('conv/outage'), commit(2));
    await owner.publish(batchChannel('conv/outage'), commit(3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.up();
    await reconnected;
    await allThree;
    expect(applied).toEqual([1, 2, 3]);
    expect(follower.stats.refills).toBeGreaterThanOrEqual(1);
    expect(edge.reconnects).toBe(1);
    await follower.stop();
    await Promise.all([edgeSubscriber, edgeCommands].map(disconnectRedis));
  } finally {
    await proxy.close();
  }
});

it('writes the PUBLISHes of one process turn to Redis in one write, each answered with its own count, in order', async () => {
  const proxy = new FlakyProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
  const port = await proxy.listen();
  const publisher = connectRedis({ ...redis.config, url: `redis://127.0.0.1:${port}` }, 'publisher', quietLogger);
  try {
    const bus = new RedisClusterBus(publisher, redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
    const listener = new RedisClusterBus(redis.connect('publisher'), redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
    const heard: string[] = [];
    let allHeard = () => {};
    const twenty = new Promise<void>((resolve) => {
      allHeard = resolve;
    });
    await listener.subscribe(revocationChannel, (revocation) => {
      if (revocation.kind === 'session-ended') heard.push(revocation.sessionId);
      if (heard.length === 20) allHeard();
    });
    await publisher.ping(); // Connected and past its handshake: what follows is the PUBLISHes alone.
    const before = proxy.chunksFromClients;
    const sent = Array.from({ length: 20 }, (_, i) => `s${i}`);
    // Half to a channel nobody hears: each PUBLISH still gets its own answer.
    const counts = await Promise.all(
      sent.flatMap((sessionId) => [
        bus.publish(revocationChannel, { kind: 'session-ended', sessionId }),
        bus.publish(batchChannel('conv/unheard'), { docName: 'conv/unheard', fromClock: 0, toClock: 1, update: new Uint8Array([1]) }),
      ]),
    );
    await twenty;
    expect(proxy.chunksFromClients - before).toBe(1);
    expect(counts).toEqual(sent.flatMap(() => [1, 0]));
    expect(heard).toEqual(sent);
    await bus.close();
    await listener.close();
  } finally {
    await disconnectRedis(publisher);
    await proxy.close();
  }
});

it('writes a PUBLISH asked for at once before its turn ends, with what was queued before it, in order', async () => {
  // A committed batch that edges wait for must not wait behind the rest of the owner's turn (docs/PERFORMANCE.md,
  // issue 11, session 14); what the turn publishes after it still goes together at the turn's end.
  const publisher = redis.connect('publisher');
  const bus = new RedisClusterBus(publisher, redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
  const listener = new RedisClusterBus(redis.connect('publisher'), redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
  try {
    const heard: string[] = [];
    let allHeard = () => {};
    const three = new Promise<void>((resolve) => {
      allHeard = resolve;
    });
    const hear = (label: string) => {
      heard.push(label);
      if (heard.length === 3) allHeard();
    };
    await listener.subscribe(revocationChannel, (revocation) => {
      if (revocation.kind === 'session-ended') hear(revocation.sessionId);
    });
    await listener.subscribe(batchChannel('conv/now'), (batch) => hear(`batch ${batch.fromClock}`));
    await publisher.ping();
    const events: string[] = [];
    const stream = (publisher as unknown as { stream: net.Socket }).stream;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((...args: unknown[]) => {
      events.push('write');
      return write(...args);
    }) as typeof stream.write;
    const before = bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'before' });
    const now = bus.publish(
      batchChannel('conv/now'),
      { docName: 'conv/now', fromClock: 4, toClock: 5, update: new Uint8Array([1]) },
      { immediately: true },
    );
    events.push('published');
    const after = bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'after' });
    setImmediate(() => events.push('turn ended'));
    expect(await Promise.all([before, now, after])).toEqual([1, 1, 1]);
    await three;
    expect(events).toEqual(['write', 'published', 'write', 'turn ended']);
    expect(heard).toEqual(['before', 'batch 4', 'after']);
  } finally {
    await bus.close();
    await listener.close();
  }
});

it('fails a publish that Redis never answers within the command timeout, on a connection with no timer per command', async () => {
  // A Redis that took the connection and then hangs: nothing answers, not even the connection's handshake.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => sockets.add(socket.on('error', () => {})));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  const config = { ...redis.config, url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 200 };
  const publisher = connectRedis(config, 'publisher', quietLogger);
  const bus = new RedisClusterBus(publisher, redis.connect('subscriber'), redis.config.keyPrefix, quietLogger, config.commandTimeoutMs);
  try {
    expect(publisher.options.commandTimeout).toBeUndefined();
    const started = performance.now();
    const outcomes = await Promise.allSettled([
      bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'a' }),
      bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'b' }),
    ]);
    const waited = performance.now() - started;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(waited).toBeGreaterThanOrEqual(190);
    // The deadline is checked every quarter of it: late by at most that (plus a busy machine's lag).
    expect(waited).toBeLessThan(2000);
  } finally {
    await bus.close();
    publisher.disconnect();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

/** Holds the main thread for `ms`, as a relay on a loaded machine is held between two turns of its event loop. */
function blockMainThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: nothing else of this process may run meanwhile.
  }
}

it('answers a publish whose answer came while the main thread was held past the timeout (a busy relay, not a silent Redis)', async () => {
  // The edge's "1013 owner unreachable" in the loaded cluster bench: Redis answered in a millisecond, but the relay's
  // event loop ran its timers (the deadline check) before reading the socket the answer waited in.
  const timeoutMs = 100;
  const bus = new RedisClusterBus(redis.connect('publisher'), redis.connect('subscriber'), redis.config.keyPrefix, quietLogger, timeoutMs);
  try {
    // Connected first, so the next publish is written to the socket at once.
    await bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'warm' });
    const atOnce = bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'a' }, { immediately: true });
    blockMainThread(timeoutMs * 4);
    await expect(atOnce).resolves.toBe(0);
    // And a turn's pipeline, written at its end, with the thread held in the next turn.
    const turn = [
      bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'b' }),
      bus.publish(revocationChannel, { kind: 'session-ended', sessionId: 'c' }),
    ];
    setImmediate(() => setImmediate(() => blockMainThread(timeoutMs * 4)));
    await expect(Promise.all(turn)).resolves.toEqual([0, 0]);
  } finally {
    await bus.close();
  }
});
