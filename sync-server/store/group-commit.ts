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
 * The queue is `turn-groups.ts`, shared with the PostgreSQL log's group
 * commit (which lets several groups be on their way at once).
 *
 * A group is one LevelDB batch: all of it is stored or none, and a failing
 * write (full disk) fails every append in it, each of whose rooms then
 * handles the failure as before. Nobody is answered before the disk has
 * acknowledged their entries, so "stored before anyone sees it" holds.
 */

import { TurnGroups } from './turn-groups.js';

/** Writes the operations of a group in one atomic LevelDB write. */
export type GroupWriter<Operation> = (operations: Operation[]) => Promise<void>;

interface QueuedAppend<Operation> {
  operations: Operation[];
  stored(): void;
  failed(error: unknown): void;
}

export class GroupCommit<Operation> {
  // One group in flight, no keys: LevelDB serializes its writes anyway, so a second write on its way would only wait
  // behind the first; what arrives meanwhile goes whole into the next group (turn-groups.ts).
  private readonly queue = new TurnGroups<QueuedAppend<Operation>>({ write: (group) => this.writeGroup(group) });

  constructor(private readonly writer: GroupWriter<Operation>) {}

  /** Writes made so far (tests, the bench). */
  get writes(): number {
    return this.queue.groups;
  }

  /** Appends those writes carried. */
  get appends(): number {
    return this.queue.items;
  }

  /** Resolves once `operations` are on disk together with whatever else was queued with them. */
  write(operations: Operation[]): Promise<void> {
    return new Promise((stored, failed) => this.queue.add({ operations, stored, failed }));
  }

  private async writeGroup(group: Array<QueuedAppend<Operation>>): Promise<void> {
    // A failed write rejects, and the queue fails every append of the group with it.
    await this.writer(group.length === 1 ? group[0].operations : group.flatMap((append) => append.operations));
    for (const append of group) append.stored();
  }
}
