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
import { isValidMessageId } from '../../shared/message-id.js';
import { ConvRoot } from '../../shared/schema.js';
import type { PlacementResolver } from './item-placement.js';

/** Whether `run` (one client's new structs) is nothing but sequence numbers for messages the document has not numbered. */
export function isReturningSequence(doc: Y.Doc, run: ReadonlyArray<Y.Item | Y.GC>, resolver: PlacementResolver): boolean {
  const seq = doc.share.get(ConvRoot.seq);
  return run.every((struct) => {
    if (!(struct instanceof Y.Item)) return false;
    const placement = resolver.placementOf(struct);
    if (placement.kind !== 'entry' || placement.root !== ConvRoot.seq || !isValidMessageId(placement.key)) return false;
    // A number the server holds is never replaced from outside.
    const stored = seq?._map.get(placement.key);
    if (stored && !stored.deleted) return false;
    if (struct.content instanceof Y.ContentDeleted) return true;
    if (!(struct.content instanceof Y.ContentAny) || struct.length !== 1) return false;
    const value: unknown = struct.content.arr[0];
    return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
  });
}
