/**
 * The relay's update validator (docs/SECURITY.md): every update a client
 * sends is checked against the document as stored before `Y.applyUpdate`
 * touches it, and is applied whole or not at all (the room closes the
 * connection with 4400 on a refusal).
 *
 * In order, cheapest first:
 * 1. bounds and layout, without decoding (update-scanner.ts);
 * 2. decode (`Y.decodeUpdate`); every item names a root type the document
 *    has (Yjs creates a root type for every name it reads, even in structs
 *    it then skips as known);
 * 3. every struct the document does not have yet: written under a client id
 *    the writer owns (client-owners.ts), placed as an entry of a root map
 *    (item-placement.ts), and the entry change allowed by shared/write-rules.ts;
 * 4. the delete set: every live stored item it deletes is one the writer may
 *    remove.
 * Structs whose predecessors are missing are not checked here: Yjs cannot
 * integrate them yet; the room keeps their update aside and checks it again
 * when the predecessors arrive (waiting-updates.ts).
 */
import * as Y from 'yjs';
import type { DocName } from '../../shared/doc-names.js';
import { ConvRoot } from '../../shared/schema.js';
import { checkEntryChange, isKnownRoot, type EntryChange, type PreviousValue } from '../../shared/write-rules.js';
import { ClientOwners, type ClientOwnerEntry } from './client-owners.js';
import type { ConnectionIdentity } from './connection.js';
import { PlacementResolver, rootNamesOf, storedPlacement, storedStruct, UpdateIndex, type Placement } from './item-placement.js';
import type { UpdateRefusal, UpdateValidator } from './room.js';
import { DEFAULT_UPDATE_LIMITS, scanUpdate, type UpdateLimits } from './update-scanner.js';

export interface ValidatorLimits extends UpdateLimits {
  /** Client ids one update may use for the first time (a replica offline across many reloads brings several). */
  maxNewClientsPerUpdate: number;
}

export const DEFAULT_VALIDATOR_LIMITS: ValidatorLimits = { ...DEFAULT_UPDATE_LIMITS, maxNewClientsPerUpdate: 64 };

/** Creates the validator of one loaded document, with the client-id owners stored for it. */
export function createUpdateValidator(
  doc: DocName,
  storedOwners: ReadonlyMap<number, string>,
  limits: ValidatorLimits = DEFAULT_VALIDATOR_LIMITS,
): UpdateValidator {
  return new DocumentValidator(doc.kind, new ClientOwners(storedOwners), limits);
}

type Check = UpdateRefusal | null;

class DocumentValidator implements UpdateValidator {
  constructor(
    private readonly docKind: DocName['kind'],
    private readonly owners: ClientOwners,
    private readonly limits: ValidatorLimits,
  ) {}

  ownerOf(clientId: number): string | undefined {
    return this.owners.ownerOf(clientId);
  }

  takeNewClientOwners(): ClientOwnerEntry[] {
    return this.owners.takeUnsaved();
  }

  check(doc: Y.Doc, update: Uint8Array, identity: ConnectionIdentity): Check {
    const scanned = scanUpdate(update, this.limits);
    if (!scanned.ok) return { rule: scanned.rule, detail: scanned.detail };
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(update);
    } catch (error) {
      return { rule: 'malformed-update', detail: String(error) };
    }
    const { structs, ds } = decoded;
    const newClients = new Set<number>();
    const refusal =
      this.checkRootNames(structs) ??
      this.checkNewStructs(doc, structs, identity.userId, newClients) ??
      this.checkDeleteSet(doc, ds, identity.userId);
    if (refusal) return refusal;
    for (const clientId of newClients) this.owners.bind(clientId, identity.userId);
    return null;
  }

  private checkRootNames(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): Check {
    for (const struct of structs) {
      const parent: unknown = struct instanceof Y.Item ? struct.parent : null;
      if (typeof parent === 'string' && !isKnownRoot(this.docKind, parent)) {
        return { rule: 'unknown-root', detail: `no root type "${parent.slice(0, 40)}"` };
      }
    }
    return null;
  }

  private checkNewStructs(doc: Y.Doc, structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, writer: string, newClients: Set<number>): Check {
    const resolver = new PlacementResolver(doc, new UpdateIndex(structs));
    for (const struct of structs) {
      // A Skip is a hole in a merged update: nothing is integrated for it.
      if (struct instanceof Y.Skip) continue;
      const state = Y.getState(doc.store, struct.id.client);
      // Already stored: Yjs skips it, whatever it says.
      if (struct.id.clock + struct.length <= state) continue;
      if (this.docKind === 'user') return { rule: 'server-only', detail: 'user documents are written by the server' };
      const refusal = this.checkClient(doc, struct.id.client, state, writer, newClients);
      if (refusal) return refusal;
      if (struct instanceof Y.Item) {
        const itemRefusal = this.checkItem(doc, struct, state, resolver, writer);
        if (itemRefusal) return itemRefusal;
      }
      // A GC struct under the writer's own id only marks its own clocks as gone.
    }
    return null;
  }

  private checkClient(doc: Y.Doc, clientId: number, state: number, writer: string, newClients: Set<number>): Check {
    const owner = this.owners.ownerOf(clientId);
    if (owner === writer) return null;
    if (owner !== undefined) return { rule: 'foreign-client-id', detail: `client ${clientId} belongs to another person` };
    // Stored structs but no owner: the server's own writes.
    if (state > 0 || clientId === doc.clientID) return { rule: 'foreign-client-id', detail: `client ${clientId} belongs to the server` };
    newClients.add(clientId);
    if (newClients.size > this.limits.maxNewClientsPerUpdate) {
      return { rule: 'too-many-client-ids', detail: `more than ${this.limits.maxNewClientsPerUpdate} new client ids` };
    }
    return null;
  }

  private checkItem(doc: Y.Doc, item: Y.Item, state: number, resolver: PlacementResolver, writer: string): Check {
    const placement = resolver.placementOf(item);
    if (placement.kind === 'missing') return null;
    if (placement.kind === 'invalid') return { rule: placement.rule, detail: placement.detail };
    if (item.id.clock < state) {
      // Yjs links the part it lacks right after the stored part, so both must be the same entry.
      const before = storedStruct(doc, Y.createID(item.id.client, state - 1));
      const beforePlacement: Placement = before instanceof Y.Item ? storedPlacement(before, rootNamesOf(doc)) : { kind: 'missing' };
      if (!samePlacement(beforePlacement, placement)) return { rule: 'malformed-update', detail: 'an item continues another entry' };
    }
    const change = entryChange(doc, item, placement.root, placement.key, resolver);
    if ('rule' in change) return change;
    const refusal = checkEntryChange(this.docKind, change, writer);
    if (refusal) return refusal;
    // Removing one's own message and writing a new one under its id would take over its place in `seq`.
    if (change.kind === 'set' && change.root === ConvRoot.messages && change.previous === null && hasKey(doc, ConvRoot.seq, change.key)) {
      return { rule: 'message-id-reused', detail: 'this message id was already used' };
    }
    return null;
  }

  private checkDeleteSet(doc: Y.Doc, ds: { clients: Map<number, Array<{ clock: number; len: number }>> }, writer: string): Check {
    const rootNames = rootNamesOf(doc);
    const checked = new Set<Y.Item>();
    for (const [clientId, ranges] of ds.clients) {
      const structs = doc.store.clients.get(clientId);
      if (!structs) continue;
      const state = Y.getState(doc.store, clientId);
      for (const range of ranges) {
        const end = Math.min(range.clock + range.len, state);
        if (range.clock >= end) continue;
        for (let i = Y.findIndexSS(structs, range.clock); i < structs.length && structs[i].id.clock < end; i++) {
          const struct = structs[i];
          // An honest step 2 repeats every deletion the replica knows; only live items matter.
          if (!(struct instanceof Y.Item) || struct.deleted || checked.has(struct)) continue;
          checked.add(struct);
          const placement = storedPlacement(struct, rootNames);
          if (placement.kind !== 'entry') return { rule: 'not-a-map-entry', detail: 'deletes an item outside a root map' };
          const change: EntryChange = { kind: 'remove', root: placement.root, key: placement.key, previous: { value: valueOf(struct) } };
          const refusal = checkEntryChange(this.docKind, change, writer);
          if (refusal) return refusal;
        }
      }
    }
    return null;
  }
}

/** The change an item makes to its entry, judged against the stored document. */
function entryChange(doc: Y.Doc, item: Y.Item, root: string, key: string, resolver: PlacementResolver): EntryChange | UpdateRefusal {
  const current = currentEntry(doc, root, key);
  const previous: PreviousValue = current ? { value: valueOf(current) } : null;
  if (item.content instanceof Y.ContentDeleted) return { kind: 'remove', root, key, previous };
  if (!(item.content instanceof Y.ContentAny)) return { rule: 'content-type', detail: 'values are plain JSON' };
  if (item.length !== 1) return { rule: 'not-a-map-entry', detail: 'a map entry holds one value' };
  return { kind: 'set', root, key, value: item.content.arr[0], previous, seen: seenValue(doc, item, resolver) };
}

/** The value the writer replaced: its item's origin, when that is a value we can read. */
function seenValue(doc: Y.Doc, item: Y.Item, resolver: PlacementResolver): PreviousValue {
  if (!item.origin) return null;
  const origin = storedStruct(doc, item.origin) ?? resolver.updateStruct(item.origin);
  // A stored item replaced since then has lost its content (gc): then we cannot tell, and do not guess.
  return origin instanceof Y.Item && origin.content instanceof Y.ContentAny ? { value: valueOf(origin) } : null;
}

/** The live item holding `key` in root map `root`, without creating the root type. */
function currentEntry(doc: Y.Doc, root: string, key: string): Y.Item | null {
  const entry = doc.share.get(root)?._map.get(key);
  return entry && !entry.deleted ? entry : null;
}

function hasKey(doc: Y.Doc, root: string, key: string): boolean {
  return doc.share.get(root)?._map.has(key) ?? false;
}

function valueOf(item: Y.Item): unknown {
  const content = item.content.getContent();
  return content[content.length - 1];
}

function samePlacement(a: Placement, b: Placement): boolean {
  return a.kind === 'entry' && b.kind === 'entry' && a.root === b.root && a.key === b.key;
}
