/**
 * What the relay, rooms and cluster parts count for `/metrics`, as small
 * interfaces: they call these and know nothing of Prometheus
 * (server-metrics.ts implements them, one per server). Parts started
 * without metrics (unit tests, the bench) get `UNCOUNTED`.
 */
import type { RefusalRule } from '../../shared/refusals.js';

/** The relay's two socket endpoints: `/sync/<doc>` (one document per socket) and `/mux` (many). */
export type SocketEndpoint = 'sync' | 'mux';

/** One counter with its labels already chosen. */
export interface Tally {
  inc(): void;
}

export interface RelayCounters {
  /** Counts frames received on `endpoint` (a WebSocket message, before any check). */
  received(endpoint: SocketEndpoint): Tally;
  /** Counts frames queued to a document connection on `endpoint` (y-websocket frames, relay/connection.ts). */
  sent(endpoint: SocketEndpoint): Tally;
}

export interface RefusalCounters {
  /** A room refused a member's update or presence by `rule` (shared/refusals.ts). */
  refused(rule: RefusalRule): void;
}

export interface ClusterCounters {
  /** An edge's follower read the store again after a gap or a bus reconnect (cluster/document-follower.ts). */
  refilled(): void;
  /** An edge opened a document: its replica read whole from the store (cluster/edge-room.ts). */
  edgeOpened(): void;
  /** An edge went on at a new owner with the same sockets, on an owner's `moved` answer or at its check (cluster/cluster-edges.ts). */
  edgeFollowed(cause: EdgeFollowCause): void;
}

/** Why an edge followed a new owner: the old owner answered `moved`, or the edge's check read a live new owner. */
export type EdgeFollowCause = 'moved' | 'check';

const NOTHING: Tally = { inc() {} };

/** Counts nothing: for parts started without a server's metrics. */
export const UNCOUNTED: RelayCounters & RefusalCounters & ClusterCounters = {
  received: () => NOTHING,
  sent: () => NOTHING,
  refused() {},
  refilled() {},
  edgeOpened() {},
  edgeFollowed() {},
};
