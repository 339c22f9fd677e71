/**
 * The one reader of a conversation's message numbers (docs/SEQ.md). Numbers
 * live in two places: the legacy `seq` map (message id → number), which
 * documents stored before issue 14 keep, and the append-only `numbers` array
 * the server writes now: one chunk per server change, `[first, id, id, …]`,
 * each id taking the number after the one before it, so a run of numbers is
 * one Yjs struct. Every reader (order, unread, heads, search, push, robot,
 * segments) asks this module, so nobody reads one place and misses the other.
 * Pure: no node:*, no DOM.
 */
import * as Y from 'yjs';
import { ConvRoot, seqOf } from './schema.js';

/** One element of the `numbers` array: a number starts a chunk, an id takes the next number. */
export type NumbersElement = number | string;

/** The append-only `numbers` array of a segment document (written by the server only). */
export function numbersOf(doc: Y.Doc): Y.Array<NumbersElement> {
  return doc.getArray<NumbersElement>(ConvRoot.numbers);
}

/** Whether `value` can be a message number. */
export function isMessageNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * The `numbers` elements that say `pairs` (message id → number): one chunk
 * per run of consecutive numbers, in number order. The server pushes them in
 * one change, so the chunks land next to each other.
 */
export function numbersElements(pairs: Iterable<readonly [string, number]>): NumbersElement[] {
  const sorted = [...pairs].sort((a, b) => a[1] - b[1]);
  const elements: NumbersElement[] = [];
  let next = -1;
  for (const [id, number] of sorted) {
    if (number !== next) elements.push(number);
    elements.push(id);
    next = number + 1;
  }
  return elements;
}

/**
 * The entries (key → item) of the legacy `seq` root as the document holds
 * it, or null in a document that never had one (every conversation made since issue 14). It is not asked
 * for as a map: that would make an empty one in every loaded conversation
 * (issue 14: ~0.5 KiB of a loaded room's heap), and while an update is
 * being applied Yjs may hold it as its untyped placeholder, which asking
 * for a map would replace under the running transaction.
 */
function legacyEntriesOf(doc: Y.Doc | null): ReadonlyMap<string, Y.Item> | null {
  return doc?.share.get(ConvRoot.seq)?._map ?? null;
}

/** What a legacy entry holds (what `Y.Map.get` returns), read from the root's entries so any form of the root reads alike. */
function legacyValue(item: Y.Item | undefined): unknown {
  return item && !item.deleted ? item.content.getContent()[item.length - 1] : undefined;
}

/** Shared by every index with nothing read (never written: `writableNumbers` makes a map of its own first). */
const NO_NUMBERS: ReadonlyMap<string, number> = new Map();
const NO_ENTRIES: ReadonlyMap<string, Y.Item> = new Map();

/** Where the incremental read of `numbers` stands: the next element is parsed from here. */
interface ParsedTail {
  /** Elements parsed so far (the array's length then). */
  length: number;
  /**
   * The id of the last parsed element: Yjs merges and splits items after a
   * change, so the item is looked up again from it, never kept.
   */
  last: { client: number; clock: number } | null;
  /** The number the next id takes; null before any chunk start. */
  next: number | null;
}

/**
 * A document's numbers, read-only, as one map: the `numbers` array wins over
 * the legacy `seq` map, and within the array a later element over an earlier
 * one (the server appends a replacement after a number it does not keep,
 * docs/SEQ.md "Returned numbers"). Cached per document: the array is parsed
 * once, then only what was appended; the legacy map is read as it is, when
 * the document has one (`legacyEntriesOf`).
 */
export class SeqIndex {
  /**
   * The numbers read from `numbers`, by id: the shared empty `NO_NUMBERS` until the first is read (issue 14: a
   * server loads every conversation with an index, and an empty map is ~0.2 KiB of a loaded room's heap).
   */
  private fromArray: ReadonlyMap<string, number> = NO_NUMBERS;
  private arrayHighest = 0;
  /** A replaced number may have been the highest: count again on the next ask. */
  private arrayHighestStale = false;
  private tail: ParsedTail = { length: 0, last: null, next: null };

  constructor(private readonly numbers: Y.Array<NumbersElement>) {}

  /** The legacy map's entries (key → item), none when the document has no `seq` root. */
  private get legacy(): ReadonlyMap<string, Y.Item> {
    return legacyEntriesOf(this.numbers.doc) ?? NO_ENTRIES;
  }

  /** The legacy map's numbers, skipping removed entries and values that are not numbers. */
  private *legacyNumbers(): IterableIterator<[string, number]> {
    for (const [id, item] of this.legacy) {
      const number = legacyValue(item);
      if (isMessageNumber(number)) yield [id, number];
    }
  }

  /** The number of message `id`; undefined when it has none (yet). */
  get(id: string): number | undefined {
    this.refresh();
    const number = this.fromArray.get(id);
    if (number !== undefined) return number;
    const old = legacyValue(this.legacy.get(id));
    return isMessageNumber(old) ? old : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** How many messages have a number. */
  get size(): number {
    this.refresh();
    let size = this.fromArray.size;
    for (const [id] of this.legacyNumbers()) if (!this.fromArray.has(id)) size++;
    return size;
  }

  /** The highest number given; 0 when none. */
  get highest(): number {
    this.refresh();
    if (this.arrayHighestStale) {
      this.arrayHighest = 0;
      for (const number of this.fromArray.values()) if (number > this.arrayHighest) this.arrayHighest = number;
      this.arrayHighestStale = false;
    }
    let highest = this.arrayHighest;
    for (const [id, number] of this.legacyNumbers()) if (number > highest && !this.fromArray.has(id)) highest = number;
    return highest;
  }

  /** Every (id, number), in no particular order. */
  *entries(): IterableIterator<[string, number]> {
    this.refresh();
    yield* this.fromArray.entries();
    for (const [id, number] of this.legacyNumbers()) if (!this.fromArray.has(id)) yield [id, number];
  }

  *keys(): IterableIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): IterableIterator<number> {
    for (const [, number] of this.entries()) yield number;
  }

  forEach(callback: (number: number, id: string) => void): void {
    for (const [id, number] of this.entries()) callback(number, id);
  }

  /** The numbered ids, lowest number first. */
  idsInOrder(): string[] {
    return [...this.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  }

  /** Id → number as a plain object (for comparing replicas in tests and logs). */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.entries());
  }

  /** Parses what was appended since the last read; the whole array again when it changed elsewhere. */
  private refresh(): void {
    const length = this.numbers.length;
    if (length === this.tail.length) return;
    if (length < this.tail.length || !this.appendedOnly(length)) this.restart();
    this.parseFrom(length);
  }

  /** The item holding the last parsed element and how many of its elements were parsed; null when none or gone. */
  private lastParsed(): { item: Y.Item; used: number } | null {
    const last = this.tail.last;
    const doc = this.numbers.doc;
    if (!last || !doc) return null;
    const structs = doc.store.clients.get(last.client);
    if (!structs) return null;
    const struct = structs[Y.findIndexSS(structs, last.clock)];
    if (!(struct instanceof Y.Item) || struct.deleted || struct.parent !== this.numbers) return null;
    return { item: struct, used: last.clock - struct.id.clock + 1 };
  }

  /** Whether every element past the parsed ones follows the last parsed element (nothing landed in between). */
  private appendedOnly(length: number): boolean {
    if (this.tail.length === 0) return true;
    const last = this.lastParsed();
    if (!last) return false;
    let after = last.item.length - last.used;
    for (let next = last.item.right; next; next = next.right) if (!next.deleted && next.countable) after += next.length;
    return after === length - this.tail.length;
  }

  private restart(): void {
    this.fromArray = NO_NUMBERS;
    this.arrayHighest = 0;
    this.arrayHighestStale = false;
    this.tail = { length: 0, last: null, next: null };
  }

  private parseFrom(length: number): void {
    let { last, next } = this.tail;
    // Continue inside the last parsed item, then walk right; from the start when nothing was parsed.
    const from = this.lastParsed();
    let current: Y.Item | null = from ? from.item : this.numbers._start;
    let offset = from ? from.used : 0;
    while (current) {
      if (!current.deleted && current.countable) {
        const content = current.content.getContent() as unknown[];
        for (let i = offset; i < content.length; i++) next = this.take(content[i], next);
        if (content.length > 0) last = { client: current.id.client, clock: current.id.clock + content.length - 1 };
      }
      current = current.right;
      offset = 0;
    }
    this.tail = { length, last, next };
  }

  private writableNumbers(): Map<string, number> {
    if (this.fromArray === NO_NUMBERS) this.fromArray = new Map();
    return this.fromArray as Map<string, number>;
  }

  /** Reads one element; returns the number the next id takes. */
  private take(element: unknown, next: number | null): number | null {
    if (isMessageNumber(element)) return element;
    if (typeof element !== 'string' || next === null) return next;
    const before = this.fromArray.get(element);
    if (before !== undefined && before !== next) this.arrayHighestStale = true;
    this.writableNumbers().set(element, next);
    if (next > this.arrayHighest) this.arrayHighest = next;
    return next + 1;
  }
}

const indexes = new WeakMap<Y.Doc, SeqIndex>();

/** The numbers of a conversation (segment) document, from both places they are kept. */
export function seqIndexOf(doc: Y.Doc): SeqIndex {
  let index = indexes.get(doc);
  if (!index) {
    index = new SeqIndex(numbersOf(doc));
    indexes.set(doc, index);
  }
  return index;
}

/**
 * Calls `listener` after every change to a document's numbers (either
 * place); returns the function that stops it.
 */
export function observeNumbers(doc: Y.Doc, listener: () => void): () => void {
  const numbers = numbersOf(doc);
  const legacy = seqOf(doc);
  numbers.observe(listener);
  legacy.observe(listener);
  return () => {
    numbers.unobserve(listener);
    legacy.unobserve(listener);
  };
}

/**
 * The ids a change of `numbers` added, in the array's order: the ids of
 * `event.changes.added`, read as Yjs reads them (every element not deleted
 * that the transaction made) without the delta, the added and deleted sets
 * and the keys Yjs builds with them (issue 14: ~1.2 KB a message the relay
 * applies). Call it inside the observer, as `changes` would be read.
 */
export function idsAddedBy(event: Y.YArrayEvent<NumbersElement>): string[] {
  const ids: string[] = [];
  const before = event.transaction.beforeState;
  for (let item = event.target._start; item !== null; item = item.right) {
    if (item.deleted || item.id.clock < (before.get(item.id.client) ?? 0)) continue;
    for (const element of item.content.getContent()) if (typeof element === 'string') ids.push(element);
  }
  return ids;
}

/**
 * Calls `listener` with the ids a change gave a number (or a number again),
 * in either place, and the change's transaction; returns the function that
 * stops it.
 */
export function observeNumbered(doc: Y.Doc, listener: (ids: string[], transaction: Y.Transaction) => void): () => void {
  const numbers = numbersOf(doc);
  const legacy = seqOf(doc);
  const onArray = (event: Y.YArrayEvent<NumbersElement>) => {
    const ids = idsAddedBy(event);
    if (ids.length > 0) listener(ids, event.transaction);
  };
  const onLegacy = (event: Y.YMapEvent<number>) => {
    const ids = [...event.keysChanged].filter((id) => legacy.has(id));
    if (ids.length > 0) listener(ids, event.transaction);
  };
  numbers.observe(onArray);
  legacy.observe(onLegacy);
  return () => {
    numbers.unobserve(onArray);
    legacy.unobserve(onLegacy);
  };
}
