/**
 * The queue behind both group commits (LevelDB's `group-commit.ts`, the
 * PostgreSQL log's `postgres/group-append.ts`): whatever is queued during one
 * turn of the event loop is written as one group at its end (`setImmediate`,
 * after every socket read in the turn). No timer holds anything back: an idle
 * process writes at once, a busy one writes whatever gathered meanwhile.
 *
 * - **Groups in flight.** At most `maxInFlight` groups are on their way at
 *   once. With one (LevelDB, which serializes its writes anyway), what
 *   arrives while a group is written waits and goes in the next one. With
 *   more (PostgreSQL, one pool connection per group), a turn's group starts
 *   at the end of its turn whenever a slot is free, so a message never waits
 *   for another group's commit before its own starts (docs/SCALING.md,
 *   "Group commit").
 * - **Order per key.** An item whose `keyOf` (a document's name) is in a
 *   group still on its way, or already in the group being made, is held for
 *   a later group: one key's items are written one group after another, in
 *   the order they were queued, never by two groups at once.
 *
 * The writer answers each item of its group itself; a writer that throws
 * fails every item of the group with that error.
 */

/** What the queue needs of an item: how to fail it when its group's writer throws. */
export interface TurnGroupItem {
  failed(error: unknown): void;
}

export interface TurnGroupsOptions<Item extends TurnGroupItem> {
  /** Writes one group and answers each of its items. */
  write(group: Item[]): Promise<void>;
  /** Groups on their way at once (default 1). */
  maxInFlight?: number;
  /** Items with the same key are never in two groups on their way at once. */
  keyOf?(item: Item): string;
}

export class TurnGroups<Item extends TurnGroupItem> {
  private queued: Item[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Keys with an item in a group on its way. */
  private readonly busy = new Set<string>();
  private readonly maxInFlight: number;
  /** Groups written so far and the items they carried (tests, the bench). */
  groups = 0;
  items = 0;
  /** The most groups that were on their way at once (tests). */
  mostInFlight = 0;

  constructor(private readonly options: TurnGroupsOptions<Item>) {
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 1));
  }

  /** Queues `item` for the group of this turn (or a later one). */
  add(item: Item): void {
    this.queued.push(item);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queued.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  /**
   * Starts one group of everything queued that may go now; the rest waits for a group to finish. When nothing is
   * held (most turns), the queue itself is the group: no second array grown item by item, and the keys go straight
   * into `busy` (a key met again in the same group is held, as one in flight is).
   */
  private start(): void {
    if (this.inFlight >= this.maxInFlight) return;
    const { keyOf } = this.options;
    let group = this.queued;
    this.queued = [];
    if (keyOf) {
      let taken: Item[] | null = null;
      for (let i = 0; i < group.length; i++) {
        const item = group[i];
        const key = keyOf(item);
        if (this.busy.has(key)) {
          taken ??= group.slice(0, i);
          this.queued.push(item);
        } else {
          this.busy.add(key);
          taken?.push(item);
        }
      }
      if (taken) group = taken;
    }
    if (group.length === 0) return;
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    this.groups++;
    this.items += group.length;
    void this.options.write(group).then(
      () => this.finished(group),
      (error: unknown) => {
        try {
          for (const item of group) item.failed(error);
        } finally {
          this.finished(group);
        }
      },
    );
  }

  /** A group was answered: its keys are free, and what waited may go. */
  private finished(group: readonly Item[]): void {
    this.inFlight--;
    const { keyOf } = this.options;
    if (keyOf) for (const item of group) this.busy.delete(keyOf(item));
    this.schedule();
  }
}
