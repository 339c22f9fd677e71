/**
 * The relay's update validator (docs/SECURITY.md): every update a client
 * sends is checked against the document as stored before `Y.applyUpdate`
 * touches it, and is applied whole or not at all (the room closes the
 * connection with 4400 on a refusal).
 *
 * In order, cheapest first:
 * 1. bounds and layout, without decoding (update-scanner.ts);
 * 2. decode (update-decoder.ts: `Y.decodeUpdate` with cheaper strings); every item names a root type the document
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
 *
 * Client ids (issue 20): an id is bound to a person only once structs under
 * it integrate (the room calls `bindIntegrated` after the apply), and an id
 * announced in someone's presence is theirs before it writes
 * (client-claims.ts). A live update under anyone else's id is refused; a
 * sync step 2 leaves other people's structs and deletions out instead, so a
 * replica that holds what the store lost heals its own part
 * (docs/SECURITY.md, "Healing after data loss").
 */
import * as Y from 'yjs';
import type { DocName } from '../../../shared/doc-names.js';
import { ConvRoot } from '../../../shared/schema.js';
import type { Refusal } from '../../../shared/refusals.js';
import { mayPin } from '../../../shared/pin-rights.js';
import {
  checkEntryChange,
  isKnownRoot,
  isServerOnlyRoot,
  type EntryChange,
  type PreviousValue,
  type WriteContext,
} from '../../../shared/write-rules.js';
import { ClientClaims } from './client-claims.js';
import { ClientOwners, type ClientOwnerEntry } from './client-owners.js';
import { whoseClient } from './client-ownership.js';
import type { ConnectionIdentity } from '../connection.js';
import { PlacementResolver, rootNamesOf, storedPlacement, storedStruct, UpdateIndex, type Placement } from './item-placement.js';
import { returningSequencePrefix } from './returning-server-writes.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import type { UpdateSource, UpdateValidator, UpdateVerdict } from '../room.js';
import { decodeUpdate } from './update-decoder.js';
import { rewriteUpdate, subtractRanges, type DeleteRange } from './update-filter.js';
import { DEFAULT_UPDATE_LIMITS, limitsForSize, scanUpdate, type UpdateLimits } from './update-scanner.js';

export interface ValidatorLimits extends UpdateLimits {
  /** Client ids one update may use for the first time (a replica offline across many reloads brings several). */
  maxNewClientsPerUpdate: number;
  /** Client ids bound to one person in one document (one per page load that wrote; RELAY_CLIENT_IDS_PER_PERSON_PER_DOC). */
  maxClientIdsPerPerson: number;
  /** Client ids bound in one document, everyone's together (RELAY_CLIENT_IDS_PER_DOC). */
  maxClientIdsPerDocument: number;
}

export const DEFAULT_VALIDATOR_LIMITS: ValidatorLimits = {
  ...DEFAULT_UPDATE_LIMITS,
  maxNewClientsPerUpdate: 64,
  maxClientIdsPerPerson: 4096,
  maxClientIdsPerDocument: 65_536,
};

/** Creates the validator of one loaded document, with the client-id owners stored for it. */
export function createUpdateValidator(
  doc: DocName,
  storedOwners: ReadonlyMap<number, string>,
  limits: ValidatorLimits = DEFAULT_VALIDATOR_LIMITS,
): UpdateValidator {
  return new DocumentValidator(doc.kind, new ClientOwners(storedOwners), limits);
}

type Check = Refusal | null;

/**
 * What most updates leave out, cut and delete: nothing. Shared, read-only, so a new message's check makes no
 * empty collections (issue 14, session 13: the relay's allocations per message).
 */
const NO_CLIENTS: ReadonlySet<number> = new Set();
const NO_CUTS: ReadonlyMap<number, number> = new Map();
const NO_DELETES: { kept: ReadonlyMap<number, DeleteRange[]>; leftOut: number } = { kept: new Map(), leftOut: 0 };
const NO_CANDIDATES: ReadonlyArray<readonly [clientId: number, userId: string]> = [];
/** The two contexts a rule can be given, shared: every item of every message was given a new one (session 14). */
const MAY_PIN: WriteContext = { mayPin: true };
const MAY_NOT_PIN: WriteContext = { mayPin: false };

class DocumentValidator implements UpdateValidator {
  private readonly claims = new ClientClaims();
  /** New client ids of the last accepted check, with their writer: bound if they integrate. */
  private candidates: ReadonlyArray<readonly [clientId: number, userId: string]> = NO_CANDIDATES;

  constructor(
    private readonly docKind: DocName['kind'],
    private readonly owners: ClientOwners,
    private readonly limits: ValidatorLimits,
  ) {}

  ownerOf(clientId: number): string | undefined {
    return this.owners.ownerOf(clientId) ?? this.claims.claimantOf(clientId);
  }

  takeNewClientOwners(): ClientOwnerEntry[] {
    return this.owners.takeUnsaved();
  }

  check(doc: Y.Doc, update: Uint8Array, identity: ConnectionIdentity, source: UpdateSource = 'update'): UpdateVerdict {
    this.candidates = NO_CANDIDATES;
    const scanned = scanUpdate(update, limitsForSize(this.limits, update.byteLength));
    if (!scanned.ok) return { rule: scanned.rule, detail: scanned.detail };
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = decodeUpdate(update);
    } catch (error) {
      return { rule: 'malformed-update', detail: String(error) };
    }
    const { structs, ds } = decoded;
    const healing = source === 'sync-step-2';
    const rootRefusal = this.checkRootNames(structs);
    if (rootRefusal) return rootRefusal;
    const judged = this.checkNewStructs(doc, structs, identity.userId, healing);
    if ('rule' in judged) return judged;
    const deletes = this.checkDeleteSet(doc, ds, identity.userId, healing);
    if ('rule' in deletes) return deletes;
    // Bound only once they integrate (bindIntegrated): a pending struct binds nothing.
    if (judged.newClients.size > 0) this.candidates = [...judged.newClients].map((clientId) => [clientId, identity.userId] as const);
    const leftOut = judged.leftOut.size + judged.cutAt.size + deletes.leftOut;
    if (leftOut === 0) return { accept: update, leftOut: 0 };
    return { accept: rewriteUpdate(structs, judged.leftOut, deletes.kept, judged.cutAt), leftOut };
  }

  claim(clientId: number, userId: string): void {
    if (this.owners.ownerOf(clientId) === undefined) this.claims.claim(clientId, userId);
  }

  bindIntegrated(doc: Y.Doc): void {
    for (const [clientId, userId] of this.candidates) {
      if (Y.getState(doc.store, clientId) === 0) continue;
      this.owners.bind(clientId, userId);
      this.claims.release(clientId);
    }
    this.candidates = NO_CANDIDATES;
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

  /**
   * Checks every client's structs the document lacks. In a live update any
   * refusal refuses the whole update. In a sync step 2 (healing after data
   * loss) the structs of client ids that are not the writer's, or whose
   * content the rules give to someone else, are left out instead: an honest
   * replica holds other people's lost structs too, and their own devices
   * bring them back under their own ids.
   */
  private checkNewStructs(
    doc: Y.Doc,
    structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>,
    writer: string,
    healing: boolean,
  ): { leftOut: ReadonlySet<number>; cutAt: ReadonlyMap<number, number>; newClients: ReadonlySet<number> } | Refusal {
    const runs = newStructRuns(doc, structs);
    // Made when first needed: a new message from its writer's own client id needs none of them.
    let leftOut: Set<number> | null = null;
    let cutAt: Map<number, number> | null = null;
    let newClients: Set<number> | null = null;
    if (runs.size === 0) return { leftOut: NO_CLIENTS, cutAt: NO_CUTS, newClients: NO_CLIENTS };
    const resolver = new PlacementResolver(doc, new UpdateIndex(structs));
    for (const [clientId, run] of runs) {
      const whose = whoseClient(doc, clientId, writer, this.owners, this.claims);
      if (whose.kind === 'writer' || whose.kind === 'unclaimed') {
        const refusal = this.checkRun(doc, run, resolver, writer);
        if (!refusal) {
          if (whose.kind === 'unclaimed') (newClients ??= new Set()).add(clientId);
          continue;
        }
        if (!healing || whose.kind === 'writer') return refusal;
      } else if (!healing) {
        return { rule: 'foreign-client-id', detail: whose.detail };
      }
      // The server's numbers for messages it lost come back (returning-server-writes.ts); they bind the id to nobody.
      const returning = whose.kind !== 'other' && clientId !== doc.clientID ? returningSequencePrefix(doc, run, resolver) : 0;
      if (returning === run.length) continue;
      if (returning > 0) (cutAt ??= new Map()).set(clientId, run[returning].id.clock);
      else (leftOut ??= new Set()).add(clientId);
    }
    return (
      (newClients && this.checkNewClientCount(newClients, writer)) ?? {
        leftOut: leftOut ?? NO_CLIENTS,
        cutAt: cutAt ?? NO_CUTS,
        newClients: newClients ?? NO_CLIENTS,
      }
    );
  }

  /** The bounds on client ids: per update, per person in this document, and in all of it. */
  private checkNewClientCount(newClients: ReadonlySet<number>, writer: string): Refusal | null {
    const count = newClients.size;
    if (count === 0) return null;
    if (count > this.limits.maxNewClientsPerUpdate) {
      return { rule: 'too-many-client-ids', detail: `more than ${this.limits.maxNewClientsPerUpdate} new client ids` };
    }
    if (this.owners.countOf(writer) + count > this.limits.maxClientIdsPerPerson) {
      return {
        rule: 'too-many-client-ids',
        detail: `more than ${this.limits.maxClientIdsPerPerson} client ids of one person in this document`,
      };
    }
    if (this.owners.size + count > this.limits.maxClientIdsPerDocument) {
      return { rule: 'too-many-client-ids', detail: `more than ${this.limits.maxClientIdsPerDocument} client ids in this document` };
    }
    return null;
  }

  private checkRun(doc: Y.Doc, run: ReadonlyArray<Y.Item | Y.GC>, resolver: PlacementResolver, writer: string): Check {
    for (const struct of run) {
      // A GC struct under the writer's own id only marks its own clocks as gone.
      if (!(struct instanceof Y.Item)) continue;
      const refusal = this.checkItem(doc, struct, Y.getState(doc.store, struct.id.client), resolver, writer);
      if (refusal) return refusal;
    }
    return null;
  }

  /** What the rules read of the stored document: who may pin comes from `meta`, which only the server writes. */
  private contextOf(doc: Y.Doc, root: string, writer: string): WriteContext {
    if (this.docKind !== 'conv' || root !== ConvRoot.pins) return MAY_PIN;
    return mayPin(doc, writer) ? MAY_PIN : MAY_NOT_PIN;
  }

  private checkItem(doc: Y.Doc, item: Y.Item, state: number, resolver: PlacementResolver, writer: string): Check {
    const placement = resolver.placementOf(item);
    if (placement.kind === 'missing') return null;
    if (placement.kind === 'invalid') return { rule: placement.rule, detail: placement.detail };
    if (placement.kind === 'list-item') return listItemRefusal(this.docKind, placement.root);
    if (item.id.clock < state) {
      // Yjs links the part it lacks right after the stored part, so both must be the same entry.
      const before = storedStruct(doc, Y.createID(item.id.client, state - 1));
      const beforePlacement: Placement = before instanceof Y.Item ? storedPlacement(before, rootNamesOf(doc)) : { kind: 'missing' };
      if (!samePlacement(beforePlacement, placement)) return { rule: 'malformed-update', detail: 'an item continues another entry' };
    }
    const change = entryChange(doc, item, placement.root, placement.key, resolver);
    if ('rule' in change) return change;
    const refusal = checkEntryChange(this.docKind, change, writer, this.contextOf(doc, change.root, writer));
    if (refusal) return refusal;
    // Removing one's own message and writing a new one under its id would take over its place in `seq`.
    // (A number without any message item is one that came back before its message did, after data loss.)
    if (
      change.kind === 'set' &&
      change.root === ConvRoot.messages &&
      change.previous === null &&
      // The key's own item first: a new message has none, and then the numbers need no lookup.
      hasKey(doc, ConvRoot.messages, change.key) &&
      seqIndexOf(doc).has(change.key)
    ) {
      return { rule: 'message-id-reused', detail: 'this message id was already used' };
    }
    return null;
  }

  /**
   * Every live stored item the delete set removes must be one the writer may
   * remove. An honest step 2 repeats every deletion the replica knows, other
   * people's lost ones too: in a step 2 those are left out, not refused.
   */
  private checkDeleteSet(
    doc: Y.Doc,
    ds: { clients: Map<number, Array<{ clock: number; len: number }>> },
    writer: string,
    healing: boolean,
  ): { kept: ReadonlyMap<number, DeleteRange[]>; leftOut: number } | Refusal {
    // A new message deletes nothing.
    if (ds.clients.size === 0) return NO_DELETES;
    const rootNames = rootNamesOf(doc);
    const checked = new Set<Y.Item>();
    const kept = new Map<number, DeleteRange[]>();
    let leftOut = 0;
    for (const [clientId, ranges] of ds.clients) {
      const structs = doc.store.clients.get(clientId);
      const refused: DeleteRange[] = [];
      const state = Y.getState(doc.store, clientId);
      for (const range of structs ? ranges : []) {
        const end = Math.min(range.clock + range.len, state);
        if (range.clock >= end || !structs) continue;
        for (let i = Y.findIndexSS(structs, range.clock); i < structs.length && structs[i].id.clock < end; i++) {
          const struct = structs[i];
          // Only live items matter.
          if (!(struct instanceof Y.Item) || struct.deleted || checked.has(struct)) continue;
          checked.add(struct);
          const placement = storedPlacement(struct, rootNames);
          const change: EntryChange | null =
            placement.kind === 'entry'
              ? { kind: 'remove', root: placement.root, key: placement.key, previous: { value: entryValueOf(struct) } }
              : null;
          const refusal: Refusal | null = change
            ? checkEntryChange(this.docKind, change, writer, this.contextOf(doc, change.root, writer))
            : placement.kind === 'list-item'
              ? listItemRefusal(this.docKind, placement.root)
              : { rule: 'not-a-map-entry', detail: 'deletes an item outside a root map' };
          if (!refusal) continue;
          if (!healing) return refusal;
          refused.push({ clock: struct.id.clock, len: struct.length });
        }
      }
      leftOut += refused.length;
      kept.set(clientId, refused.length > 0 ? subtractRanges(ranges, refused) : ranges);
    }
    return { kept, leftOut };
  }
}

/** Each client's structs the document does not hold yet, in clock order (Skips are holes: nothing integrates for them). */
function newStructRuns(doc: Y.Doc, structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): Map<number, Array<Y.Item | Y.GC>> {
  const runs = new Map<number, Array<Y.Item | Y.GC>>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    // Already stored: Yjs skips it, whatever it says.
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const run = runs.get(struct.id.client) ?? [];
    run.push(struct);
    runs.set(struct.id.client, run);
  }
  return runs;
}

/** The change an item makes to its entry, judged against the stored document. */
function entryChange(doc: Y.Doc, item: Y.Item, root: string, key: string, resolver: PlacementResolver): EntryChange | Refusal {
  const current = currentEntry(doc, root, key);
  const previous: PreviousValue = current ? { value: entryValueOf(current) } : null;
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
  return origin instanceof Y.Item && origin.content instanceof Y.ContentAny ? { value: entryValueOf(origin) } : null;
}

/** The live item holding `key` in root map `root`, without creating the root type. */
function currentEntry(doc: Y.Doc, root: string, key: string): Y.Item | null {
  const entry = doc.share.get(root)?._map.get(key);
  return entry && !entry.deleted ? entry : null;
}

function hasKey(doc: Y.Doc, root: string, key: string): boolean {
  return doc.share.get(root)?._map.has(key) ?? false;
}

function entryValueOf(item: Y.Item): unknown {
  const content = item.content.getContent();
  return content[content.length - 1];
}

/** A member never adds to or removes from a root list: the only one, `numbers`, is the server's (shared/seq-index.ts). */
function listItemRefusal(docKind: DocName['kind'], root: string): Refusal {
  return isServerOnlyRoot(docKind, root)
    ? { rule: 'server-only', detail: `"${root.slice(0, 40)}" is written by the server` }
    : { rule: 'not-a-map-entry', detail: 'not a map entry' };
}

function samePlacement(a: Placement, b: Placement): boolean {
  if (a.kind === 'list-item' && b.kind === 'list-item') return a.root === b.root;
  return a.kind === 'entry' && b.kind === 'entry' && a.root === b.root && a.key === b.key;
}
