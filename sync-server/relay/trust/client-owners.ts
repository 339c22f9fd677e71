/**
 * Which person each Yjs client id of one document belongs to.
 *
 * A Yjs client id is a random number a replica picks for itself; anyone can
 * write structs under any id. If Mallory wrote under Alice's id, Alice's next
 * change would carry clocks the relay already holds, be dropped as a
 * duplicate, and her replica would diverge from everyone else's for good. So
 * the first person to write under an id in a document owns it there, and
 * nobody else may extend it. The owners are stored in LevelDB in the same
 * batch as the updates that first used them (store/document-log.ts), so after a crash or
 * restart no id is ever both stored and unowned.
 *
 * "Write" means structs that Yjs integrated (issue 20): structs that wait for
 * missing predecessors, or that are left out of a healing upload, bind
 * nothing (update-validator.ts binds after the apply). An id announced in
 * someone's presence is theirs before it writes (client-claims.ts).
 */
import type { ClientOwnerEntry } from '../../store/document-log.js';

export type { ClientOwnerEntry } from '../../store/document-log.js';

export class ClientOwners {
  private readonly owners: Map<number, string>;
  private readonly countByPerson = new Map<string, number>();
  private unsaved: ClientOwnerEntry[] = [];

  constructor(stored: ReadonlyMap<number, string> = new Map()) {
    this.owners = new Map(stored);
    for (const userId of this.owners.values()) this.countByPerson.set(userId, this.countOf(userId) + 1);
  }

  /** Client ids bound to `userId` in this document. */
  countOf(userId: string): number {
    return this.countByPerson.get(userId) ?? 0;
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /** Binds a client id to the person whose structs first integrated under it; stored with the next batch. */
  bind(clientId: number, userId: string): void {
    if (this.owners.has(clientId)) return;
    this.owners.set(clientId, userId);
    this.countByPerson.set(userId, this.countOf(userId) + 1);
    this.unsaved.push([clientId, userId]);
  }

  /** Bindings made since the last call; the room stores them with its next batch. */
  takeUnsaved(): ClientOwnerEntry[] {
    const entries = this.unsaved;
    this.unsaved = [];
    return entries;
  }

  get size(): number {
    return this.owners.size;
  }
}
