/**
 * Marks people online and offline (issue 15). The app keeps its person's own
 * `user/<id>` document open while it runs, and only that person may open it,
 * so "someone is connected to `user/<id>`" is "they are online". In a cluster
 * every device's connection reaches the document's owner (an edge forwards
 * it), so the owner alone sees them come and go and writes the marks.
 *
 * While they stay online the mark is renewed every `refreshMs`: a relay that
 * dies cannot write "offline", and a reader stops trusting an "online" that
 * was not renewed (presence-service.ts).
 */
import type { Logger } from '../config.js';
import type { RoomEvent, ServerParticipant } from '../participants/participant.js';
import type { LastSeenStore } from '../store/last-seen.js';

export const ONLINE_REFRESH_MS = 60_000;

export class LastSeenParticipant implements ServerParticipant {
  readonly name = 'last-seen';
  /** People online through this relay's rooms. */
  private readonly online = new Set<string>();
  /** Each person's marks are written one after another, so a quick leave-and-return lands in order. */
  private readonly writes = new Map<string, Promise<void>>();
  private readonly refresh: NodeJS.Timeout;
  /** Told after each mark is written (tests await a person going offline with it). */
  private readonly listeners = new Set<(userId: string, online: boolean) => void>();

  constructor(
    private readonly store: LastSeenStore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    refreshMs = ONLINE_REFRESH_MS,
  ) {
    this.refresh = setInterval(() => {
      for (const userId of this.online) this.mark(userId, true);
    }, refreshMs);
    this.refresh.unref();
  }

  onConnectionsChanged({ room, docName }: RoomEvent): void {
    if (docName.kind !== 'user') return;
    const here = room.connections.size > 0;
    if (here === this.online.has(docName.id)) return;
    if (here) this.online.add(docName.id);
    else this.online.delete(docName.id);
    this.mark(docName.id, here);
  }

  onRoomUnloaded({ room, docName }: RoomEvent): void {
    if (docName.kind !== 'user') return;
    // Unloaded while its person's sockets stay subscribed (relay/standby-user-room.ts): they are still here.
    for (const connection of room.connections) if (!connection.isClosed) return;
    // The room goes (idle, failed, shutdown) with its connections: whoever was here is seen leaving now.
    if (!this.online.delete(docName.id)) return;
    this.mark(docName.id, false);
  }

  /** Resolves when every mark asked for so far is written (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  /** Calls `listener` after each mark is written; returns how to stop. */
  onMarked(listener: (userId: string, online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    clearInterval(this.refresh);
  }

  private mark(userId: string, online: boolean): void {
    const at = this.now();
    const previous = this.writes.get(userId) ?? Promise.resolve();
    const next = previous
      .then(() => this.store.markSeen(userId, online, at))
      .then(() => {
        for (const listener of this.listeners) listener(userId, online);
      })
      .catch((error: unknown) => this.log.warn('could not record last seen', { userId, online, error: String(error) }))
      .finally(() => {
        if (this.writes.get(userId) === next) this.writes.delete(userId);
      });
    this.writes.set(userId, next);
  }
}
