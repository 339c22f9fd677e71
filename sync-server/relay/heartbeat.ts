/**
 * The relay's heartbeat, for `/sync/<doc>` and `/mux` sockets alike: a peer
 * that vanished without a close frame (a phone that lost its network) leaves
 * a socket that looks open forever, holding its room membership, its
 * connection slot and its send queue. Each round pings every socket; one that
 * has not answered the previous round's ping is dropped.
 */
import type { WebSocket } from 'ws';

/**
 * Drops each socket that is not in `alive` and pings the rest, taking them
 * out of `alive` until they answer. The caller adds a socket to `alive` when
 * it opens and on each pong.
 */
export function pingOrDrop(sockets: Iterable<WebSocket>, alive: WeakSet<WebSocket>): void {
  for (const ws of sockets) {
    if (!alive.has(ws)) {
      ws.terminate();
      continue;
    }
    alive.delete(ws);
    ws.ping();
  }
}
