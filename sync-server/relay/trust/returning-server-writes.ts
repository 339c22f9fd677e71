/**
 * The server's own sequence numbers coming back after the store lost them
 * (issue 20, healing). Every replica holds the `seq` entries the server
 * wrote; after a restored backup the server lacks the newest ones, and a
 * replica's sync step 2 carries them back under the server's old client ids.
 *
 * They are taken back, not renumbered from scratch: the replicas already
 * show them, and a fresh number written next to an entry the server does
 * not hold would be a concurrent write that Yjs resolves by client id, so
 * some replicas would keep the old number and disagree with the server for
 * good. A member could send such a run too, so it is only ever a proposal:
 * the run may hold nothing but numbers for keys the server has not
 * numbered, it binds its client id to nobody, and the sequencer keeps a
 * returned number only where it continues the order without a gap or a
 * duplicate, numbering the rest anew (participants/sequencer.ts).
 */
import * as Y from 'yjs';
import { isValidMessageId } from '../../../shared/message-id.js';
import { ConvRoot } from '../../../shared/schema.js';
import { isMessageNumber, seqIndexOf, type SeqIndex } from '../../../shared/seq-index.js';
import type { PlacementResolver } from './item-placement.js';

/**
 * How many structs at the start of `run` (one client's new structs) are
 * sequence numbers for messages the document has not numbered: `numbers`
 * elements (shared/seq-index.ts) or, from documents numbered before issue
 * 14, `seq` entries. The server writes other things too (`meta`, the
 * robot's messages) that nobody may bring back in its name; the numbers
 * before the first of them still come back (a prefix keeps the clocks
 * without a hole), the rest is left out.
 */
export function returningSequencePrefix(doc: Y.Doc, run: ReadonlyArray<Y.Item | Y.GC>, resolver: PlacementResolver): number {
  const numbered = seqIndexOf(doc);
  const index = run.findIndex((struct) => !isReturningNumber(struct, numbered, resolver));
  return index === -1 ? run.length : index;
}

function isReturningNumber(struct: Y.Item | Y.GC, numbered: SeqIndex, resolver: PlacementResolver): boolean {
  if (!(struct instanceof Y.Item)) return false;
  const placement = resolver.placementOf(struct);
  if (placement.kind === 'list-item') return placement.root === ConvRoot.numbers && isReturningChunk(struct, numbered);
  if (placement.kind !== 'entry' || placement.root !== ConvRoot.seq || !isValidMessageId(placement.key)) return false;
  // A number the server holds is never replaced from outside.
  if (numbered.has(placement.key)) return false;
  if (struct.content instanceof Y.ContentDeleted) return true;
  if (!(struct.content instanceof Y.ContentAny) || struct.length !== 1) return false;
  return isMessageNumber(struct.content.arr[0]);
}

/** `numbers` elements: starts and ids only, and none of the ids numbered here (the server's numbers are never replaced from outside). */
function isReturningChunk(struct: Y.Item, numbered: SeqIndex): boolean {
  if (!(struct.content instanceof Y.ContentAny)) return false;
  return struct.content.arr.every((element: unknown) =>
    typeof element === 'string' ? isValidMessageId(element) && !numbered.has(element) : isMessageNumber(element),
  );
}
