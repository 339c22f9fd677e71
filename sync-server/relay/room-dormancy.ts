/**
 * When idle loaded rooms let go of their Y.Doc (docs/ARCHITECTURE.md,
 * "Dormant rooms"; issue 14: most loaded rooms are idle tabs, and a Y.Doc
 * is most of a loaded room's heap). One timer for every room of the
 * process: each sweep counts one tick, and a room that handled nothing for
 * `TICKS_IDLE` whole ticks is asked to sleep. A room notes its activity by
 * copying the tick count (a field read and a store per frame), never by a
 * timer per room or per message: the fan-out's CPU matters more than
 * how exactly the threshold is kept.
 */

/** What the sweep asks of a room (relay/room.ts). */
export interface DormantCandidate {
  /** Drops the room's document if it has been idle since before `tick` and nothing is in flight. */
  sleepIfIdleSince(tick: number): void;
}

/** Whole ticks of idleness before a room sleeps: with a tick of a quarter of the threshold, a room sleeps after 1 to 1.25 thresholds. */
const TICKS_IDLE = 4;

export class RoomDormancy {
  private readonly rooms = new Set<DormantCandidate>();
  private timer: NodeJS.Timeout | null = null;
  /** Sweeps so far: what rooms stamp as their last activity. */
  private ticks = 0;
  /** Rooms woken so far (each a rebuild of a Y.Doc on the main thread): what a reconnect storm must not add to. */
  private woken = 0;

  /** `afterMs`: idle time before a room sleeps (`ROOM_DORMANT_AFTER_MS`); 0 turns dormancy off. */
  constructor(readonly afterMs: number) {}

  /** The tick to stamp as a room's last activity. */
  get now(): number {
    return this.ticks;
  }

  /** How many times a sleeping room was woken (tests, benches). */
  get wakes(): number {
    return this.woken;
  }

  /** Called by a room as it wakes. */
  countWake(): void {
    this.woken++;
  }

  get enabled(): boolean {
    return this.afterMs > 0;
  }

  /** Follows a loaded room until `unwatch`; the timer runs only while some room is followed. */
  watch(room: DormantCandidate): void {
    if (!this.enabled) return;
    this.rooms.add(room);
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), Math.max(5, Math.ceil(this.afterMs / TICKS_IDLE)));
    this.timer.unref();
  }

  unwatch(room: DormantCandidate): void {
    if (!this.rooms.delete(room) || this.rooms.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  /** Counts a tick and asks every room idle for `TICKS_IDLE` whole ticks to sleep (exposed for tests). */
  sweep(): void {
    this.ticks++;
    const idleSince = this.ticks - TICKS_IDLE;
    for (const room of this.rooms) room.sleepIfIdleSince(idleSince);
  }
}
