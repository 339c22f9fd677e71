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
 */

export interface ClaimLimits {
  /** Claims one person holds in one loaded document; past it their oldest claim is let go. */
  maxClaimsPerPerson: number;
}

export const DEFAULT_CLAIM_LIMITS: ClaimLimits = { maxClaimsPerPerson: 32 };

export class ClientClaims {
  private readonly claimant = new Map<number, string>();
  /** Each person's claims, oldest first. */
  private readonly byPerson = new Map<string, number[]>();

  constructor(private readonly limits: ClaimLimits = DEFAULT_CLAIM_LIMITS) {}

  claimantOf(clientId: number): string | undefined {
    return this.claimant.get(clientId);
  }

  /** Claims `clientId` for `userId`; false when another person holds it. */
  claim(clientId: number, userId: string): boolean {
    const holder = this.claimant.get(clientId);
    if (holder !== undefined) return holder === userId;
    const claims = this.byPerson.get(userId) ?? [];
    // Bounded per person: an honest replica announces one id; many page loads announce many, the oldest are long gone.
    while (claims.length >= this.limits.maxClaimsPerPerson) {
      const oldest = claims.shift();
      if (oldest !== undefined) this.claimant.delete(oldest);
    }
    claims.push(clientId);
    this.byPerson.set(userId, claims);
    this.claimant.set(clientId, userId);
    return true;
  }

  /** Lets go of a claim that a stored binding now holds. */
  release(clientId: number): void {
    const holder = this.claimant.get(clientId);
    if (holder === undefined) return;
    this.claimant.delete(clientId);
    const claims = this.byPerson.get(holder) ?? [];
    const index = claims.indexOf(clientId);
    if (index >= 0) claims.splice(index, 1);
    if (claims.length === 0) this.byPerson.delete(holder);
  }
}
