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
 *
 * Every loaded document has one (issue 14, session 14: a loaded room's heap): its maps are made when first
 * needed, the count per person only once a new id is judged against its bound.
 */
import type { ClientOwnerEntry } from '../../store/document-log.js';

export type { ClientOwnerEntry } from '../../store/document-log.js';

/** Shared and never written: a document whose ids nobody wrote under holds no map of its own. */
const NO_OWNERS: ReadonlyMap<number, string> = new Map();
/** Frozen: handed to the store on every batch without a new id, so a caller that wrote to it would throw, not leak. */
const NO_ENTRIES = Object.freeze([]) as unknown as ClientOwnerEntry[];

export class ClientOwners {
  private owners: Map<number, string> | null;
  /** Made on the first count (the first update bringing a new id), kept up to date after. */
  private countByPerson: Map<string, number> | null = null;
  private unsaved: ClientOwnerEntry[] = NO_ENTRIES;

  constructor(stored: ReadonlyMap<number, string> = NO_OWNERS) {
    this.owners = stored.size > 0 ? new Map(stored) : null;
  }

  /** Client ids bound to `userId` in this document. */
  countOf(userId: string): number {
    return this.counts().get(userId) ?? 0;
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners?.get(clientId);
  }

  /** Binds a client id to the person whose structs first integrated under it; stored with the next batch. */
  bind(clientId: number, userId: string): void {
    if (this.owners?.has(clientId)) return;
    (this.owners ??= new Map()).set(clientId, userId);
    this.countByPerson?.set(userId, (this.countByPerson.get(userId) ?? 0) + 1);
    if (this.unsaved === NO_ENTRIES) this.unsaved = [];
    this.unsaved.push([clientId, userId]);
  }

  /** Bindings made since the last call; the room stores them with its next batch. */
  takeUnsaved(): ClientOwnerEntry[] {
    const entries = this.unsaved;
    this.unsaved = NO_ENTRIES;
    return entries;
  }

  get size(): number {
    return this.owners?.size ?? 0;
  }

  private counts(): ReadonlyMap<string, number> {
    if (this.countByPerson) return this.countByPerson;
    const counts = new Map<string, number>();
    for (const userId of (this.owners ?? NO_OWNERS).values()) counts.set(userId, (counts.get(userId) ?? 0) + 1);
    this.countByPerson = counts;
    return counts;
  }
}
