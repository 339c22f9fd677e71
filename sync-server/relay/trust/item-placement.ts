/**
 * Where an item of a client's update would land: which root map and which
 * key (or which root list: `numbers`, the server's, whose appended elements
 * name the element before them as `origin` in the same way). Yjs writes the parent only for an item with no neighbours (a new
 * key); an item that replaces a value names the replaced item as its
 * `origin` and inherits that item's parent and key. So the placement of a
 * new item is found by following origins through the update and into the
 * stored document, exactly as `Item.getMissing` will when it integrates it.
 */
import * as Y from 'yjs';

export type Placement =
  | { kind: 'entry'; root: string; key: string }
  /** An element of a root list (only `numbers` is one: the server's, shared/seq-index.ts). */
  | { kind: 'list-item'; root: string }
  /** Its origin is neither stored nor in the update: Yjs will keep it pending, so it cannot land now. */
  | { kind: 'missing' }
  /** Not an entry of a root map (a nested type, a list item, a garbage-collected neighbour): never valid here. */
  | { kind: 'invalid'; rule: 'nested-type' | 'not-a-map-entry' | 'malformed-update'; detail: string };

const MISSING: Placement = { kind: 'missing' };

/**
 * Structs of one update, indexed by client for lookups by id. The index is made on the first lookup: an
 * update whose items all name their root and key (a new message) never needs one (issue 14, session 14).
 */
export class UpdateIndex {
  private byClient: Map<number, Array<Y.Item | Y.GC | Y.Skip>> | null = null;

  constructor(private readonly structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>) {}

  private index(): Map<number, Array<Y.Item | Y.GC | Y.Skip>> {
    const byClient = new Map<number, Array<Y.Item | Y.GC | Y.Skip>>();
    for (const struct of this.structs) {
      let list = byClient.get(struct.id.client);
      if (!list) byClient.set(struct.id.client, (list = []));
      list.push(struct);
    }
    return byClient;
  }

  /** The struct of the update holding `id`, if any (structs of one client come in clock order). */
  find(id: Y.ID): Y.Item | Y.GC | Y.Skip | undefined {
    this.byClient ??= this.index();
    const list = this.byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle];
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return undefined;
  }
}

/** The stored struct holding `id`, if the document has it. */
export function storedStruct(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | undefined {
  const structs = doc.store.clients.get(id.client);
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return undefined;
  return structs[Y.findIndexSS(structs, id.clock)];
}

/** Root map name and key of an item already in the document. */
export function storedPlacement(item: Y.Item, rootNames: ReadonlyMap<unknown, string>): Placement {
  const root = rootNames.get(item.parent);
  if (root === undefined) return { kind: 'invalid', rule: 'nested-type', detail: 'not in a root type' };
  if (item.parentSub === null) return { kind: 'list-item', root };
  return { kind: 'entry', root, key: item.parentSub };
}

const rootNamesByDoc = new WeakMap<Y.Doc, Map<unknown, string>>();

/**
 * Maps each root type of the document to its name. Kept per document and
 * made again only when the roots changed: one was added, or Yjs replaced a
 * root it had made for an update's unknown name by a typed one when the
 * server first asked for it (`doc.getMap`). Checking is a walk of ~10 roots
 * without allocating; the validator made the map twice per update, ~1 % of
 * applying one in the fan-out profile (issue 14, session 11).
 */
export function rootNamesOf(doc: Y.Doc): ReadonlyMap<unknown, string> {
  const known = rootNamesByDoc.get(doc);
  if (known && known.size === doc.share.size && sameRoots(known, doc)) return known;
  const names = new Map<unknown, string>();
  for (const [name, type] of doc.share) names.set(type, name);
  rootNamesByDoc.set(doc, names);
  return names;
}

/** Whether `known` (as large as the document's roots) still names every root type of `doc`. */
function sameRoots(known: ReadonlyMap<unknown, string>, doc: Y.Doc): boolean {
  let same = true;
  doc.share.forEach((type, name) => {
    if (same && known.get(type) !== name) same = false;
  });
  return same;
}

/** Resolves placements of the update's items, remembering each answer (chains of edits share their tail). */
export class PlacementResolver {
  private readonly known = new Map<Y.Item, Placement>();
  constructor(
    private readonly doc: Y.Doc,
    private readonly update: UpdateIndex,
  ) {}

  /** The struct of the update holding `id`, if any. */
  updateStruct(id: Y.ID): Y.Item | Y.GC | Y.Skip | undefined {
    return this.update.find(id);
  }

  placementOf(item: Y.Item): Placement {
    const known = this.known.get(item);
    if (known) return known;
    // Most items (a new message, a first reaction) name their root and key: no chain to walk or remember.
    const direct = this.directPlacement(item);
    if (direct) {
      this.known.set(item, direct);
      return direct;
    }
    // Walk the origin chain iteratively: an update may hold thousands of edits of one key.
    const chain: Y.Item[] = [];
    const seen = new Set<Y.Item>();
    let current: Y.Item = item;
    let result: Placement;
    for (;;) {
      const cached = this.known.get(current);
      if (cached) {
        result = cached;
        break;
      }
      chain.push(current);
      seen.add(current);
      const direct = this.directPlacement(current);
      if (direct) {
        result = direct;
        break;
      }
      // No parent written: the item takes its origin's parent and key.
      const origin = current.origin;
      if (!origin) {
        result = { kind: 'invalid', rule: 'malformed-update', detail: 'an item with no parent and no origin' };
        break;
      }
      if (origin.client === current.id.client && origin.clock >= current.id.clock) {
        result = { kind: 'invalid', rule: 'malformed-update', detail: 'an origin after its own item' };
        break;
      }
      // The stored document is the authority for what it already has.
      const stored = storedStruct(this.doc, origin);
      if (stored) {
        result =
          stored instanceof Y.Item
            ? storedPlacement(stored, rootNamesOf(this.doc))
            : { kind: 'invalid', rule: 'not-a-map-entry', detail: 'the origin was garbage-collected' };
        break;
      }
      const inUpdate = this.update.find(origin);
      if (inUpdate instanceof Y.Item) {
        if (seen.has(inUpdate)) {
          result = { kind: 'invalid', rule: 'malformed-update', detail: 'a cycle of origins' };
          break;
        }
        current = inUpdate;
        continue;
      }
      result = inUpdate instanceof Y.GC ? { kind: 'invalid', rule: 'not-a-map-entry', detail: 'the origin is a GC struct' } : MISSING;
      break;
    }
    for (const link of chain) this.known.set(link, result);
    return result;
  }

  /** The placement an item states itself, or null when it inherits it from its origin. */
  private directPlacement(item: Y.Item): Placement | null {
    // A rightOrigin never occurs in map entries (Y.Map#set writes none); in a crafted
    // update it could link the item next to one in another type.
    if (item.rightOrigin) return { kind: 'invalid', rule: 'not-a-map-entry', detail: 'map entries have no right origin' };
    const parent: unknown = item.parent;
    if (parent === null) return null;
    if (typeof parent !== 'string') return { kind: 'invalid', rule: 'nested-type', detail: 'values are plain JSON, not Yjs types' };
    if (item.parentSub === null) return { kind: 'list-item', root: parent };
    return { kind: 'entry', root: parent, key: item.parentSub };
  }
}
