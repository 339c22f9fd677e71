/**
 * The awareness client ids one connection has set (issue 14: a loaded room's
 * heap). A tab announces one id, so the one is kept in a field and a `Set` is
 * made only at a second: an empty or one-entry `Set` keeps a hash table of
 * ~150 B on every connection. Insertion order is kept, as a `Set`'s.
 */

/** No id: awareness client ids are unsigned (lib0 varuints), so -1 is nobody's. */
const NONE = -1;

export class ClientIdSet implements Iterable<number> {
  /** The only id while there is at most one (NONE: none); unused once `more` is made. */
  private one = NONE;
  /** Every id, from the second on (kept once made: a connection that had two may get two again). */
  private more: Set<number> | null = null;

  get size(): number {
    if (this.more) return this.more.size;
    return this.one === NONE ? 0 : 1;
  }

  has(id: number): boolean {
    return this.more ? this.more.has(id) : this.one === id && id !== NONE;
  }

  add(id: number): this {
    if (this.more) this.more.add(id);
    else if (this.one === NONE || this.one === id) this.one = id;
    else {
      this.more = new Set([this.one, id]);
      this.one = NONE;
    }
    return this;
  }

  delete(id: number): boolean {
    if (this.more) return this.more.delete(id);
    if (this.one !== id || id === NONE) return false;
    this.one = NONE;
    return true;
  }

  /** Calls `visit` with each id, without an iterator (viewers.ts runs this for every stored message). */
  forEach(visit: (id: number) => void): void {
    if (this.more) {
      for (const id of this.more) visit(id);
    } else if (this.one !== NONE) visit(this.one);
  }

  *[Symbol.iterator](): Iterator<number> {
    if (this.more) yield* this.more;
    else if (this.one !== NONE) yield this.one;
  }
}
