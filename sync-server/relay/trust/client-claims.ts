/**
 * Yjs client ids announced in presence, and who announced them (issue 20).
 *
 * The stock client announces its replica's client id in awareness when it
 * connects, every 15 s and when typing, before it first writes. Whoever
 * watches presence learns the id; had the first *writer* under an id owned
 * it, a watcher could take every fresh id before its replica wrote and
 * silence that person for good. So the first person to announce an id (or to
 * write under it, client-owners.ts) claims it: presence and structs under it
 * from anyone else are refused, and the squatter is the one closed.
 *
 * Claims live in memory for as long as the room is loaded, not only while
 * the presence is: a replica that went offline keeps its id, and a watcher
 * must not take it over in the meantime. They are not stored: a replica that
 * never writes has nothing to protect on disk, and storing every id a page
 * load announced would grow the store with reading instead of writing. Once
 * the id writes, the binding (stored with the write) takes over.
 *
 * One map, in claim order, made at the first claim and let go with the last (issue 14, session 14: every
 * loaded room had two, and a list per person). A person's claims are found by walking it, only when a new
 * id is claimed: at most `maxClaimsPerPerson` per person who announced one in this document.
 */

export interface ClaimLimits {
  /** Claims one person holds in one loaded document; past it their oldest claim is let go. */
  maxClaimsPerPerson: number;
}

export const DEFAULT_CLAIM_LIMITS: ClaimLimits = { maxClaimsPerPerson: 32 };

export class ClientClaims {
  /** Client id → the person who announced it, oldest claim first (a Map iterates in insertion order). */
  private claimant: Map<number, string> | null = null;

  constructor(private readonly limits: ClaimLimits = DEFAULT_CLAIM_LIMITS) {}

  claimantOf(clientId: number): string | undefined {
    return this.claimant?.get(clientId);
  }

  /** Claims `clientId` for `userId`; false when another person holds it. */
  claim(clientId: number, userId: string): boolean {
    const claimant = (this.claimant ??= new Map());
    const holder = claimant.get(clientId);
    if (holder !== undefined) return holder === userId;
    // Bounded per person: an honest replica announces one id; many page loads announce many, the oldest are long gone.
    let held = 0;
    for (const claimer of claimant.values()) if (claimer === userId) held++;
    for (const [id, claimer] of claimant) {
      if (held < this.limits.maxClaimsPerPerson) break;
      if (claimer !== userId) continue;
      claimant.delete(id);
      held--;
    }
    claimant.set(clientId, userId);
    return true;
  }

  /** Lets go of a claim that a stored binding now holds. */
  release(clientId: number): void {
    if (!this.claimant?.delete(clientId)) return;
    if (this.claimant.size === 0) this.claimant = null;
  }
}
