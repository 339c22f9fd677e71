/**
 * One LevelDB write for the appends of every room that arrive together
 * (issue 14). Each LevelDB write costs a native call, a thread wake-up and a
 * log `write` on the disk thread (about 30–45 µs of CPU on our 2-core
 * machine), while a batch of ten costs about 7 µs per entry. Paced chat
 * traffic spread over many rooms rarely brings two appends in one room's
 * turn, but often in one process turn, and always while a write is on its
 * way to the disk; so:
 *
 * - appends queued during one turn of the event loop are written together
 *   at its end (`setImmediate`: after the sockets read in this turn);
 * - while a write is in flight, new appends wait and go in the next one,
 *   so at most one document write is on its way at a time (LevelDB would
 *   serialize them anyway).
 *
 * A group is one LevelDB batch: all of it is stored or none, and a failing
 * write (full disk) fails every append in it, each of whose rooms then
 * handles the failure as before. Nobody is answered before the disk has
 * acknowledged their entries, so "stored before anyone sees it" holds.
 */

/** Writes the operations of a group in one atomic LevelDB write. */
export type GroupWriter<Operation> = (operations: Operation[]) => Promise<void>;

interface QueuedAppend<Operation> {
  operations: Operation[];
  stored(): void;
  failed(error: unknown): void;
}

export class GroupCommit<Operation> {
  private queued: Array<QueuedAppend<Operation>> = [];
  private writing = false;
  private scheduled = false;
  /** Writes made so far and the appends they carried (tests, the bench). */
  writes = 0;
  appends = 0;

  constructor(private readonly writer: GroupWriter<Operation>) {}

  /** Resolves once `operations` are on disk together with whatever else was queued with them. */
  write(operations: Operation[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ operations, stored: resolve, failed: reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.writeQueued();
    });
  }

  private async writeQueued(): Promise<void> {
    const group = this.queued;
    this.queued = [];
    if (group.length === 0) return;
    this.writing = true;
    const operations = group.length === 1 ? group[0].operations : group.flatMap((append) => append.operations);
    this.writes++;
    this.appends += group.length;
    try {
      await this.writer(operations);
      for (const append of group) append.stored();
    } catch (error) {
      for (const append of group) append.failed(error);
    } finally {
      this.writing = false;
      if (this.queued.length > 0) this.schedule();
    }
  }
}
