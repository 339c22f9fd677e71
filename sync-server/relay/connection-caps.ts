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

/** A held place under the caps; `release` gives it back (safe to call twice). */
export interface CapSlot {
  release(): void;
}

export class ConnectionCaps {
  private readonly byAddress = new Map<string, number>();
  private readonly byPerson = new Map<string, number>();
  private readonly byPersonDocument = new Map<string, number>();

  constructor(private readonly limits: CapLimits) {}

  /** Takes a place for one more socket from `address`; a refusal reason when it has too many. */
  claimAddress(address: string): CapSlot | { refused: string } {
    if (!claim(this.byAddress, address, this.limits.connectionsPerAddress)) return { refused: 'too many connections from this address' };
    return slot(this.byAddress, address);
  }

  /**
   * Takes a place for one more multiplexed socket of `userId` (`/mux`): it
   * counts as one of their connections, and they may hold as many of them as
   * sockets to one document (one per tab). Its documents then claim places of
   * their own with `claimPerson`, as if each were a socket.
   */
  claimMuxSocket(userId: string): CapSlot | { refused: string } {
    // A newline cannot start a document name, so this key is nobody's document.
    const slot = this.claimPerson(userId, '\nmux');
    if ('refused' in slot && slot.refused === 'too many connections to this document')
      return { refused: 'too many multiplexed connections' };
    return slot;
  }

  /** Takes a place for one more socket of `userId` to `docName`; a refusal reason past either cap. */
  claimPerson(userId: string, docName: string): CapSlot | { refused: string } {
    const documentKey = `${userId}\n${docName}`;
    if (!claim(this.byPersonDocument, documentKey, this.limits.connectionsPerPersonPerDocument)) {
      return { refused: 'too many connections to this document' };
    }
    if (!claim(this.byPerson, userId, this.limits.connectionsPerPerson)) {
      unclaim(this.byPersonDocument, documentKey);
      return { refused: 'too many connections' };
    }
    return slot(this.byPersonDocument, documentKey, this.byPerson, userId);
  }
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

/**
 * A slot holding one place in `counts` (and one in `moreCounts`, if given).
 * One closure in all: the relay hands `release` to the socket's 'close' as it
 * is, and every socket keeps it (issue 14: an idle connection's heap).
 */
function slot(counts: Map<string, number>, key: string, moreCounts?: Map<string, number>, moreKey?: string): CapSlot {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    unclaim(counts, key);
    if (moreCounts && moreKey !== undefined) unclaim(moreCounts, moreKey);
  };
  return { release };
}
