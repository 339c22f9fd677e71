/**
 * The one test suite every cluster bus passes (cluster-bus.ts): Redis and
 * memory. Each test runs two nodes (two relays). It covers delivery, channel
 * separation, order, subscribe-then-read (document-follower.ts) and the
 * reconnect notice, with a connection really dropped.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { quietLogger } from '../testing/quiet-logger.js';
import { waitFor } from '../testing/wait-for.js';
import type { Revocation } from '../relay/revocation.js';
import { batchChannel, type CommittedBatch, revocationChannel } from './bus-channels.js';
import type { ClusterBus } from './cluster-bus.js';
import { type BatchSource, DocumentFollower } from './document-follower.js';

export interface ClusterBusUnderTest {
  /** A new node: one relay's bus, with its own connection(s). */
  node(): ClusterBus;
  /** Drops the node's connection as a network failure would; it comes back by itself and says so. */
  drop(bus: ClusterBus): Promise<void>;
}

const WAIT_MS = 5000;

/** Collects what a handler receives; `received(n)` waits (bounded) until n arrived. */
function collector<T>(): { handler: (message: T) => void; items: T[]; received(count: number): Promise<T[]> } {
  const items: T[] = [];
  const waiters = new Set<() => void>();
  return {
    items,
    handler(message) {
      items.push(message);
      for (const wake of waiters) wake();
    },
    received(count) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (items.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(items);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`received ${items.length} of ${count} messages`));
        }, WAIT_MS);
        waiters.add(check);
        check();
      });
    },
  };
}

function nextReconnect(bus: ClusterBus): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no reconnect reported')), WAIT_MS);
    const stop = bus.onReconnect(() => {
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

/** A document's owner: a writer whose every change is committed to a store as one batch (clock + 1). */
class OwnerWithStore implements BatchSource {
  readonly doc = new Y.Doc();
  private readonly batches: CommittedBatch[] = [];
  /** While set, reads wait for it (to hold an edge inside the join race). */
  gate: Promise<void> | undefined;
  private readStarted: (() => void) | undefined;

  constructor(readonly docName: string) {}

  /** Commits one change; the batch is returned, not published (the test decides). */
  commit(value: number): CommittedBatch {
    const updates: Uint8Array[] = [];
    const capture = (update: Uint8Array) => updates.push(update);
    this.doc.on('update', capture);
    this.doc.getArray<number>('values').push([value]);
    this.doc.off('update', capture);
    const fromClock = this.batches.at(-1)?.toClock ?? 0;
    const batch = { docName: this.docName, fromClock, toClock: fromClock + 1, update: Y.mergeUpdates(updates) };
    this.batches.push(batch);
    return batch;
  }

  /** Resolves when the next read begins. */
  nextRead(): Promise<void> {
    return new Promise((resolve) => {
      this.readStarted = resolve;
    });
  }

  async readSince(docName: string, fromClock: number): Promise<CommittedBatch | null> {
    this.readStarted?.();
    await this.gate;
    const newer = this.batches.filter((b) => b.docName === docName && b.toClock > fromClock);
    const last = newer.at(-1);
    if (!last) return null;
    return { docName, fromClock: newer[0].fromClock, toClock: last.toClock, update: Y.mergeUpdates(newer.map((b) => b.update)) };
  }
}

function valuesOf(doc: Y.Doc): number[] {
  return doc.getArray<number>('values').toArray();
}

export function clusterBusContract(name: string, subject: ClusterBusUnderTest): void {
  describe(`${name} cluster bus`, () => {
    it('delivers a message to the subscribers of every node, the publishing node included', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const atA = collector<Revocation>();
      const atB = collector<Revocation>();
      await a.subscribe(revocationChannel, atA.handler);
      await b.subscribe(revocationChannel, atB.handler);
      const revocation: Revocation = { kind: 'member-removed', conversationId: 'abc', userId: 'bob' };
      await a.publish(revocationChannel, revocation);
      expect(await atA.received(1)).toEqual([revocation]);
      expect(await atB.received(1)).toEqual([revocation]);
    });

    it('carries every kind of revocation and a batch byte for byte', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const revocations = collector<Revocation>();
      const batches = collector<CommittedBatch>();
      await b.subscribe(revocationChannel, revocations.handler);
      await b.subscribe(batchChannel('conv/x'), batches.handler);
      const sent: Revocation[] = [
        { kind: 'session-ended', sessionId: 's1' },
        { kind: 'visitor-blocked', sessionId: 'visitor:g1' },
        { kind: 'member-removed', conversationId: 'x', userId: 'u1' },
      ];
      for (const revocation of sent) await a.publish(revocationChannel, revocation);
      const update = new Uint8Array(70_000).map((_, i) => i % 251);
      await a.publish(batchChannel('conv/x'), { docName: 'conv/x', fromClock: 7, toClock: 9, update });
      expect(await revocations.received(3)).toEqual(sent);
      const [batch] = await batches.received(1);
      expect(batch).toMatchObject({ docName: 'conv/x', fromClock: 7, toClock: 9 });
      expect(Buffer.compare(Buffer.from(batch.update), Buffer.from(update))).toBe(0);
    });

    it('keeps channels apart: a document’s batches reach only its followers', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const ofX = collector<CommittedBatch>();
      const ofY = collector<CommittedBatch>();
      const revocations = collector<Revocation>();
      await b.subscribe(batchChannel('conv/x'), ofX.handler);
      await b.subscribe(batchChannel('conv/y'), ofY.handler);
      await b.subscribe(revocationChannel, revocations.handler);
      await a.publish(batchChannel('conv/x'), { docName: 'conv/x', fromClock: 0, toClock: 1, update: new Uint8Array([1]) });
      await a.publish(batchChannel('conv/y'), { docName: 'conv/y', fromClock: 0, toClock: 1, update: new Uint8Array([2]) });
      await a.publish(revocationChannel, { kind: 'session-ended', sessionId: 's' });
      await revocations.received(1); // Published last: once it is here, the others have had their chance.
      expect(ofX.items.map((m) => m.docName)).toEqual(['conv/x']);
      expect(ofY.items.map((m) => m.docName)).toEqual(['conv/y']);
    });

    it('delivers what one node publishes in the order it published it', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const received = collector<CommittedBatch>();
      await b.subscribe(batchChannel('conv/o'), received.handler);
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          a.publish(batchChannel('conv/o'), { docName: 'conv/o', fromClock: i, toClock: i + 1, update: new Uint8Array([i % 256]) }),
        ),
      );
      expect((await received.received(200)).map((m) => m.fromClock)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    });

    it('is listening once subscribe resolves: a message published right after is never lost', async () => {
      const [a, b] = [subject.node(), subject.node()];
      for (let round = 0; round < 20; round++) {
        const docName = `conv/race${round}`;
        const received = collector<CommittedBatch>();
        await b.subscribe(batchChannel(docName), received.handler);
        await a.publish(batchChannel(docName), { docName, fromClock: 0, toClock: 1, update: new Uint8Array([round]) });
        expect(await received.received(1)).toHaveLength(1);
      }
    });

    it('says how many nodes listen on a channel: 0 when nobody does (Redis drops that message silently)', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const revocation: Revocation = { kind: 'session-ended', sessionId: 'nobody hears this' };
      expect(await a.publish(revocationChannel, revocation)).toBe(0);
      const first = await b.subscribe(revocationChannel, () => {});
      // A second handler on the same node is the same listener.
      const second = await b.subscribe(revocationChannel, () => {});
      expect(await a.publish(revocationChannel, revocation)).toBe(1);
      await a.subscribe(revocationChannel, () => {});
      expect(await a.publish(revocationChannel, revocation)).toBe(2);
      await first.unsubscribe();
      await second.unsubscribe();
      expect(await a.publish(revocationChannel, revocation)).toBe(1);
    });

    it('stops a handler that unsubscribed and keeps the others of its channel', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const leaving = collector<Revocation>();
      const staying = collector<Revocation>();
      const subscription = await b.subscribe(revocationChannel, leaving.handler);
      await b.subscribe(revocationChannel, staying.handler);
      await a.publish(revocationChannel, { kind: 'session-ended', sessionId: 'first' });
      await leaving.received(1);
      await subscription.unsubscribe();
      await a.publish(revocationChannel, { kind: 'session-ended', sessionId: 'second' });
      await staying.received(2);
      expect(leaving.items).toHaveLength(1);
    });

    it('drops bytes that are not a message of the channel, and goes on', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const received = collector<CommittedBatch>();
      await b.subscribe(batchChannel('conv/x'), received.handler);
      // A batch of another document on this channel, and reversed clocks: neither is one the owner sent.
      await a.publish(batchChannel('conv/x'), { docName: 'conv/other', fromClock: 0, toClock: 1, update: new Uint8Array([1]) });
      await a.publish(batchChannel('conv/x'), { docName: 'conv/x', fromClock: 5, toClock: 5, update: new Uint8Array([1]) });
      await a.publish(batchChannel('conv/x'), { docName: 'conv/x', fromClock: 0, toClock: 1, update: new Uint8Array([1]) });
      expect((await received.received(1)).map((m) => m.docName)).toEqual(['conv/x']);
      expect(received.items).toHaveLength(1);
    });

    it('reports a reconnect only once its subscriptions are back', async () => {
      const [a, b] = [subject.node(), subject.node()];
      const received = collector<Revocation>();
      await b.subscribe(revocationChannel, received.handler);
      const reconnected = nextReconnect(b);
      await subject.drop(b);
      await reconnected;
      await a.publish(revocationChannel, { kind: 'session-ended', sessionId: 'after' });
      expect((await received.received(1)).at(-1)).toEqual({ kind: 'session-ended', sessionId: 'after' });
    });

    it('refuses to publish once closed', async () => {
      const a = subject.node();
      await a.close();
      await expect(a.publish(revocationChannel, { kind: 'session-ended', sessionId: 's' })).rejects.toThrow();
    });

    describe('following a document (subscribe, then read)', () => {
      it('misses nothing and doubles nothing committed while the edge reads the store (the join race)', async () => {
        const [ownerBus, edge] = [subject.node(), subject.node()];
        const owner = new OwnerWithStore('conv/join');
        const publish = (batch: CommittedBatch) => ownerBus.publish(batchChannel(owner.docName), batch);
        for (let i = 0; i < 3; i++) owner.commit(i); // Before the edge came: only in the store.
        let release = () => {};
        owner.gate = new Promise((resolve) => {
          release = resolve;
        });
        const reading = owner.nextRead();
        const replica = new Y.Doc();
        const applied: number[] = [];
        const starting = DocumentFollower.start(
          edge,
          owner.docName,
          owner,
          (batch) => {
            applied.push(batch.fromClock);
            Y.applyUpdate(replica, batch.update);
          },
          quietLogger,
        );
        await reading; // Subscribed, reading: commit and publish two more now.
        const seen = collector<CommittedBatch>();
        await edge.subscribe(batchChannel(owner.docName), seen.handler);
        await publish(owner.commit(3));
        await publish(owner.commit(4));
        await seen.received(2);
        release();
        const follower = await starting;
        expect(follower.nextClock).toBe(5);
        expect(follower.stats.duplicates).toBe(2);
        await publish(owner.commit(5));
        await waitFor(replica, () => valuesOf(replica).length === 6, WAIT_MS, 'the batch after the join');
        expect(valuesOf(replica)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(follower.nextClock).toBe(6);
        await follower.stop();
      });

      it('refills from the store when a batch skips ahead (one was lost)', async () => {
        const [ownerBus, edge] = [subject.node(), subject.node()];
        const owner = new OwnerWithStore('conv/gap');
        const replica = new Y.Doc();
        const follower = await DocumentFollower.start(edge, owner.docName, owner, (b) => Y.applyUpdate(replica, b.update), quietLogger);
        await ownerBus.publish(batchChannel(owner.docName), owner.commit(0));
        owner.commit(1); // Committed, never published: lost on the way.
        await ownerBus.publish(batchChannel(owner.docName), owner.commit(2));
        await waitFor(replica, () => valuesOf(replica).length === 3, WAIT_MS, 'the refill');
        expect(valuesOf(replica)).toEqual([0, 1, 2]);
        expect(follower.nextClock).toBe(3);
        expect(follower.stats.refills).toBe(1);
        await follower.stop();
      });

      it('fails to start when the store cannot be read, and retries a failed refill', async () => {
        const [ownerBus, edge] = [subject.node(), subject.node()];
        const owner = new OwnerWithStore('conv/flaky');
        let failures = 1;
        const flaky: BatchSource = {
          readSince: async (docName, fromClock) => {
            if (failures-- > 0) throw new Error('the store is away');
            return owner.readSince(docName, fromClock);
          },
        };
        await expect(DocumentFollower.start(edge, owner.docName, flaky, () => {}, quietLogger)).rejects.toThrow('the store is away');
        const replica = new Y.Doc();
        const follower = await DocumentFollower.start(edge, owner.docName, flaky, (b) => Y.applyUpdate(replica, b.update), quietLogger);
        await ownerBus.publish(batchChannel(owner.docName), owner.commit(0));
        await waitFor(replica, () => valuesOf(replica).length === 1, WAIT_MS, 'the first batch');
        failures = 1;
        owner.commit(1); // Lost on the way.
        await ownerBus.publish(batchChannel(owner.docName), owner.commit(2)); // The gap's refill fails; nothing else comes.
        await waitFor(replica, () => valuesOf(replica).length === 3, WAIT_MS, 'the retried refill');
        expect(valuesOf(replica)).toEqual([0, 1, 2]);
        expect(follower.nextClock).toBe(3);
        await follower.stop();
      });

      it('refills from the store after the bus reconnects (what was published meanwhile is gone)', async () => {
        const [ownerBus, edge] = [subject.node(), subject.node()];
        const owner = new OwnerWithStore('conv/reconnect');
        const replica = new Y.Doc();
        const follower = await DocumentFollower.start(edge, owner.docName, owner, (b) => Y.applyUpdate(replica, b.update), quietLogger);
        await ownerBus.publish(batchChannel(owner.docName), owner.commit(0));
        await waitFor(replica, () => valuesOf(replica).length === 1, WAIT_MS, 'the first batch');
        const reconnected = nextReconnect(edge);
        await subject.drop(edge);
        // Committed while the edge is away; its publication reaches nobody there.
        await ownerBus.publish(batchChannel(owner.docName), owner.commit(1));
        await reconnected;
        await waitFor(replica, () => valuesOf(replica).length === 2, WAIT_MS, 'the refill after reconnecting');
        expect(follower.stats.refills).toBeGreaterThanOrEqual(1);
        await ownerBus.publish(batchChannel(owner.docName), owner.commit(2));
        await waitFor(replica, () => valuesOf(replica).length === 3, WAIT_MS, 'live batches again');
        expect(valuesOf(replica)).toEqual([0, 1, 2]);
        await follower.stop();
      });
    });
  });
}
