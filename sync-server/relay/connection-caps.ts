/**
 * How many sockets one address, one person, and one person on one document
 * may hold (issue 20, item 3). Each socket costs the relay memory whatever
 * it does, so opening more of them must stop somewhere; the defaults
 * (resource-limits.ts) sit far above a person with a few devices and a few
 * hundred conversations open. A socket past a cap is accepted and closed
 * with 4429 and a reason that says which cap, as browsers cannot read an
 * HTTP refusal of an upgrade.
 */
import type { RelayResourceLimits } from './resource-limits.js';

export type CapLimits = Pick<RelayResourceLimits, 'connectionsPerAddress' | 'connectionsPerPerson' | 'connectionsPerPersonPerDocument'>;

/** The places held, by address, by person and by person and document. */
interface PlaceCounts {
  readonly byAddress: Map<string, number>;
  readonly byPerson: Map<string, number>;
  readonly byPersonDocument: Map<string, number>;
}

export class ConnectionCaps {
  private readonly counts: PlaceCounts = { byAddress: new Map(), byPerson: new Map(), byPersonDocument: new Map() };

  constructor(private readonly limits: CapLimits) {}

  /**
   * Takes a place for one more socket from `address`; a refusal reason when it
   * has too many. The places are the socket's: its person's are added to them
   * once it is admitted (`claimPerson`, `claimMuxSocket`), and one `release`
   * gives all of them back.
   */
  claimAddress(address: string): SocketPlaces | { refused: string } {
    if (!claim(this.counts.byAddress, address, this.limits.connectionsPerAddress))
      return { refused: 'too many connections from this address' };
    return new SocketPlaces(this.counts, address);
  }

  /**
   * Takes a place for one more multiplexed socket of `userId` (`/mux`): it
   * counts as one of their connections, and they may hold as many of them as
   * sockets to one document (one per tab). Its documents then claim places of
   * their own with `claimDocument`, as if each were a socket. The place joins
   * the socket's `places` (its address place).
   */
  claimMuxSocket(userId: string, places: SocketPlaces): SocketPlaces | { refused: string } {
    // A newline cannot start a document name, so this key is nobody's document.
    const held = this.claimPerson(userId, '\nmux', places);
    if ('refused' in held && held.refused === 'too many connections to this document')
      return { refused: 'too many multiplexed connections' };
    return held;
  }

  /**
   * Takes a place for one more socket of `userId` to `docName`; a refusal
   * reason past either cap. The places join the socket's (from
   * `claimAddress`) and are given back by their one `release`.
   */
  claimPerson(userId: string, docName: string, places: SocketPlaces): SocketPlaces | { refused: string } {
    // A socket that closed already gave its places back: it takes none it would keep.
    if (places.released) return places;
    const refused = this.claimDocument(userId, docName);
    if (refused) return refused;
    return places.hold(documentKeyOf(userId, docName), userId);
  }

  /**
   * Takes a place for one more document of `userId` on a multiplexed socket,
   * as if it were a socket of its own; a refusal reason past either cap. Its
   * holder gives it back with `releaseDocument`, once (mux-subscription.ts
   * keeps whether it holds one: no slot object or closure per document).
   */
  claimDocument(userId: string, docName: string): { refused: string } | null {
    const { byPersonDocument, byPerson } = this.counts;
    const documentKey = documentKeyOf(userId, docName);
    if (!claim(byPersonDocument, documentKey, this.limits.connectionsPerPersonPerDocument)) {
      return { refused: 'too many connections to this document' };
    }
    if (!claim(byPerson, userId, this.limits.connectionsPerPerson)) {
      unclaim(byPersonDocument, documentKey);
      return { refused: 'too many connections' };
    }
    return null;
  }

  /** Gives back a place `claimDocument` took. */
  releaseDocument(userId: string, docName: string): void {
    unclaim(this.counts.byPersonDocument, documentKeyOf(userId, docName));
    unclaim(this.counts.byPerson, userId);
  }
}

/**
 * The places one socket holds under the caps: its address's from the first
 * byte, its person's once admitted. `release` (safe to call twice) gives all
 * back; it is one function per socket, handed to the socket's `'close'` as it
 * is (issue 14: a slot per place kept two closures, their contexts and a grown
 * listener array on every socket).
 */
export class SocketPlaces {
  released = false;
  /** The person's places, once admitted: their key by person and document, and by person. */
  private documentKey: string | null = null;
  private person: string | null = null;

  constructor(
    private readonly counts: PlaceCounts,
    private readonly address: string,
  ) {}

  /** Adds the person's places (already counted) to the socket's. */
  hold(documentKey: string, person: string): this {
    this.documentKey = documentKey;
    this.person = person;
    return this;
  }

  readonly release = (): void => {
    if (this.released) return;
    this.released = true;
    unclaim(this.counts.byAddress, this.address);
    if (this.documentKey !== null) unclaim(this.counts.byPersonDocument, this.documentKey);
    if (this.person !== null) unclaim(this.counts.byPerson, this.person);
  };
}

/** A person's place on one document, as `byPersonDocument` counts it (claimed and released under the same key). */
function documentKeyOf(userId: string, docName: string): string {
  return `${userId}\n${docName}`;
}

function claim(counts: Map<string, number>, key: string, limit: number): boolean {
  const count = counts.get(key) ?? 0;
  if (count >= limit) return false;
  counts.set(key, count + 1);
  return true;
}

function unclaim(counts: Map<string, number>, key: string): void {
  const count = (counts.get(key) ?? 1) - 1;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
