/**
 * Which history segments of a conversation the message list shows, and how
 * their messages become one list (docs/SEGMENTS.md, "The client, next"). The
 * list shows a run of segments without a gap, from the newest back to the
 * oldest loaded one: a segment loaded out of turn (`conv/<id>`, segment 0,
 * is always open for `meta`) waits until every segment after it is loaded,
 * so the list never jumps over history it does not have. Pure: the data
 * layer opens documents, this decides what of them is shown.
 */
import { compareOrdered, type OrderedMessage } from '../../../shared/message-order.js';

/** A message as the list shows it, with the segment whose document holds it (edits and reactions go there). */
export interface SegmentMessage extends OrderedMessage {
  segment: number;
}

/** The segments the list shows, newest first: the newest and each older one loaded without a gap before it. */
export function shownSegments(newest: number, loaded: ReadonlySet<number>): number[] {
  const shown: number[] = [];
  for (let n = newest; n >= 0 && loaded.has(n); n--) shown.push(n);
  return shown;
}

/** The next segment for the list to open: the newest if it is not loaded, else the one before the oldest shown (the person scrolled past it); null at the beginning. */
export function previousSegment(newest: number, loaded: ReadonlySet<number>): number | null {
  const shown = shownSegments(newest, loaded);
  const oldest = shown.length > 0 ? shown[shown.length - 1] : newest + 1;
  return oldest > 0 ? oldest - 1 : null;
}

/**
 * The messages of the shown segments as one list in the shared order. The
 * numbers are one order across segments, so sorting the union is enough. A
 * message id found in two segments (its author wrote it again after a
 * rollover) is shown once: where it has its number, else in the newer one.
 */
export function mergeSegments(segments: ReadonlyArray<{ segment: number; messages: readonly OrderedMessage[] }>): SegmentMessage[] {
  const byId = new Map<string, SegmentMessage>();
  for (const { segment, messages } of segments) {
    for (const entry of messages) {
      const candidate: SegmentMessage = { ...entry, segment };
      const present = byId.get(entry.message.id);
      if (!present || preferred(candidate, present)) byId.set(entry.message.id, candidate);
    }
  }
  return [...byId.values()].sort(compareOrdered);
}

function preferred(candidate: SegmentMessage, present: SegmentMessage): boolean {
  if ((candidate.seq === undefined) !== (present.seq === undefined)) return candidate.seq !== undefined;
  return candidate.segment > present.segment;
}

/**
 * Older segments a device may delete from IndexedDB: all but the newest and
 * the `keep` most recently opened older ones, never one holding a change of
 * this device not yet sent. Oldest opened first.
 */
export function segmentsToEvict(
  newest: number,
  lastOpened: ReadonlyMap<number, number>,
  hasUnsent: (segment: number) => boolean,
  keep: number,
): number[] {
  const older = [...lastOpened].filter(([segment]) => segment !== newest).sort(([, a], [, b]) => b - a);
  return older
    .slice(keep)
    .filter(([segment]) => !hasUnsent(segment))
    .sort(([, a], [, b]) => a - b)
    .map(([segment]) => segment);
}
