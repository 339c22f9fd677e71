/**
 * The server's metrics in Prometheus' text format (`prom-client`), one
 * registry per server: tests start several servers in one process, and each
 * must count its own (never prom-client's global registry). Parts count
 * through the small interfaces of counters.ts; what a part already knows
 * (sockets open, documents loaded, lease renewals) is read when scraped.
 * docs/OPERATIONS.md, "Metrics", says what each one means.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { REFUSAL_RULES, type RefusalRule } from '../../shared/refusals.js';
import type { ClusterCounters, EdgeFollowCause, RefusalCounters, RelayCounters, SocketEndpoint, Tally } from './counters.js';

/** How a document log append ended, for the commit latency histogram. */
export type CommitOutcome = 'stored' | 'refused' | 'error';

/** What the server's parts tell when scraped (structural, so this module imports none of them). */
export interface MetricSources {
  relay: { readonly syncSocketCount: number; readonly muxSocketCount: number; readonly connectionCount: number };
  registry: { readonly loadedCount: number };
  /** A cluster's edges (cluster/cluster-edges.ts); null on a single server. */
  edges: { readonly edgeCount: number } | null;
  /** With `DATABASE_URL`: the documents this process owns and its lease's renewals (store/postgres/). */
  postgres: {
    documents: { readonly ownedCount: number };
    lease: { readonly renewals: Readonly<Record<LeaseRenewalOutcome, number>> };
  } | null;
  /** With `REDIS_URL`: the cluster bus, which says when it reconnected with every channel restored. */
  bus: { onReconnect(listener: () => void): () => void } | null;
}

export type LeaseRenewalOutcome = 'renewed' | 'failed' | 'lost';

/**
 * A frame counter as cheap as `n++` (issue 14): prom-client's `inc` costs
 * ~130 ns, and frames are counted once per socket, so a message to a room of
 * 500 paid it 500 times. The counter reads the tallies when scraped.
 */
class FrameTally implements Tally {
  count = 0;

  inc(): void {
    this.count++;
  }
}

/** Tallies per endpoint, folded into `counter` when it is scraped. */
function tallied(counter: Counter<'endpoint'>, tallies: Record<SocketEndpoint, FrameTally>): void {
  counter.reset();
  for (const [endpoint, tally] of Object.entries(tallies)) counter.labels(endpoint).inc(tally.count);
}

/** Commit latencies are milliseconds (LevelDB) to tens of milliseconds (PostgreSQL); a second is an outage. */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class ServerMetrics implements RelayCounters, RefusalCounters, ClusterCounters {
  readonly registry = new Registry();
  private readonly framesReceived: Counter<'endpoint'>;
  private readonly framesSent: Counter<'endpoint'>;
  private readonly receivedTallies: Record<SocketEndpoint, FrameTally> = { sync: new FrameTally(), mux: new FrameTally() };
  private readonly sentTallies: Record<SocketEndpoint, FrameTally> = { sync: new FrameTally(), mux: new FrameTally() };
  private readonly refusals: Counter<'rule'>;
  private readonly commits: Histogram<'outcome'>;
  /**
   * The histogram's child per outcome, made once: `labels()` per append made ~450 B of garbage against ~90 B for an
   * observation of a kept child, and every batch of every room is one (docs/PERFORMANCE.md, issue 11, session 15).
   */
  private readonly commitsBy: Record<CommitOutcome, { observe(seconds: number): void }>;
  private readonly refills: Counter;
  private readonly edgeOpens: Counter;
  private readonly edgeFollows: Counter<'cause'>;
  private stopWatching: (() => void) | null = null;

  /** `processMetrics`: also prom-client's default process metrics (CPU, memory, event loop, GC); off where nobody scrapes. */
  constructor(options: { processMetrics: boolean }) {
    const registers = [this.registry];
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    const receivedTallies = this.receivedTallies;
    const sentTallies = this.sentTallies;
    this.framesReceived = new Counter({
      name: 'happychat_frames_received_total',
      help: 'WebSocket frames received from clients, by endpoint',
      labelNames: ['endpoint'],
      registers,
      collect() {
        tallied(this, receivedTallies);
      },
    });
    this.framesSent = new Counter({
      name: 'happychat_frames_sent_total',
      help: 'Frames queued to clients for one document, by endpoint',
      labelNames: ['endpoint'],
      registers,
      collect() {
        tallied(this, sentTallies);
      },
    });
    this.refusals = new Counter({
      name: 'happychat_updates_refused_total',
      help: "Members' updates and presence refused, by rule (shared/refusals.ts)",
      labelNames: ['rule'],
      registers,
    });
    // Every rule from the start, at 0: a rate over a series that appears only at its first refusal misses that one.
    for (const rule of REFUSAL_RULES) this.refusals.labels(rule).inc(0);
    this.commits = new Histogram({
      name: 'happychat_commit_seconds',
      help: 'Time to append one batch to the document log (LevelDB or PostgreSQL), by outcome',
      labelNames: ['outcome'],
      buckets: COMMIT_BUCKETS,
      registers,
    });
    this.refills = new Counter({
      name: 'happychat_gap_refills_total',
      help: "Reads of the store by edges' followers after a gap or a Redis reconnect (cluster)",
      registers,
    });
    this.edgeOpens = new Counter({
      name: 'happychat_edge_opens_total',
      help: 'Documents an edge opened, its replica read whole from the store (cluster; after a Redis outage, the way an edge whose sockets all closed catches up)',
      registers,
    });
    this.edgeFollows = new Counter({
      name: 'happychat_edge_follows_total',
      help: "Edges that went on at a document's new owner with the same sockets, by cause (cluster; each would have been a 1013 reconnect)",
      labelNames: ['cause'],
      registers,
    });
    for (const cause of ['moved', 'check'] as const) this.edgeFollows.labels(cause).inc(0);
    for (const endpoint of ['sync', 'mux'] as const) {
      this.framesReceived.labels(endpoint).inc(0);
      this.framesSent.labels(endpoint).inc(0);
    }
    for (const outcome of ['stored', 'refused', 'error'] as const) this.commits.zero({ outcome });
    this.commitsBy = {
      stored: this.commits.labels('stored'),
      refused: this.commits.labels('refused'),
      error: this.commits.labels('error'),
    };
  }

  received(endpoint: SocketEndpoint): Tally {
    return this.receivedTallies[endpoint];
  }

  sent(endpoint: SocketEndpoint): Tally {
    return this.sentTallies[endpoint];
  }

  refused(rule: RefusalRule): void {
    this.refusals.labels(rule).inc();
  }

  refilled(): void {
    this.refills.inc();
  }

  edgeOpened(): void {
    this.edgeOpens.inc();
  }

  edgeFollowed(cause: EdgeFollowCause): void {
    this.edgeFollows.labels(cause).inc();
  }

  /** Records one document log append that took `seconds`. */
  committed(outcome: CommitOutcome, seconds: number): void {
    this.commitsBy[outcome].observe(seconds);
  }

  /** Reads the server's parts when scraped; once, after they are started. */
  watch(sources: MetricSources): void {
    const registers = [this.registry];
    const { relay, registry, edges, postgres, bus } = sources;
    new Gauge({
      name: 'happychat_connections',
      help: 'Open client sockets, by endpoint',
      labelNames: ['endpoint'],
      registers,
      collect() {
        this.labels('sync').set(relay.syncSocketCount);
        this.labels('mux').set(relay.muxSocketCount);
      },
    });
    gauge(this.registry, 'happychat_document_connections', 'Documents bound to sockets, over both endpoints', () => relay.connectionCount);
    gauge(this.registry, 'happychat_documents_loaded', 'Documents loaded in this process (their rooms)', () => registry.loadedCount);
    if (edges)
      gauge(this.registry, 'happychat_documents_edge', 'Documents served here for another relay (cluster edges)', () => edges.edgeCount);
    if (postgres) {
      gauge(this.registry, 'happychat_documents_owned', 'Documents this process owns in PostgreSQL', () => postgres.documents.ownedCount);
      const renewals = postgres.lease.renewals;
      const seen: Record<LeaseRenewalOutcome, number> = { renewed: 0, failed: 0, lost: 0 };
      new Counter({
        name: 'happychat_lease_renewals_total',
        help: "Renewals of this process's lease in PostgreSQL, by outcome",
        labelNames: ['outcome'],
        registers,
        collect() {
          // The lease counts for itself; the counter takes what was added since the last scrape.
          for (const outcome of ['renewed', 'failed', 'lost'] as const) {
            this.labels(outcome).inc(Math.max(0, renewals[outcome] - seen[outcome]));
            seen[outcome] = renewals[outcome];
          }
        },
      });
    }
    if (bus) {
      const reconnects = new Counter({
        name: 'happychat_redis_reconnects_total',
        help: 'Reconnections of the cluster bus to Redis, each with every channel restored',
        registers,
      });
      this.stopWatching = bus.onReconnect(() => reconnects.inc());
    }
  }

  /** The text a scrape gets, and its Content-Type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  close(): void {
    this.stopWatching?.();
    this.registry.clear();
  }
}

function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
