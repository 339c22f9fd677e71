/**
 * The one-off pass that turns shared heads on over a store the per-member
 * heads wrote (docs/PROTOCOL.md, "Shared conversation heads", Migration):
 * `npm run admin -- fill-shared-heads`, with the server stopped. Each
 * person's `user/<id>` holds a head per conversation with their own
 * `readSeq`/`mentionSeq`; the pass writes those marks into the person's
 * `headMarks` (where a mark is missing) and, per conversation, the newest
 * head any member holds into the head table (where the table has none or an
 * older one). A conversation loaded after the switch writes its own head
 * anyway; this covers the ones not loaded since, so a member's first
 * catch-up lists every conversation. Idempotent: a second run writes nothing.
 */
import { isHead, type SharedHead } from '../../shared/heads.js';
import { headMarksOf, headsOf } from '../../shared/schema.js';
import { userDocName } from '../../shared/doc-names.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { HeadTable } from './head-table.js';

export interface FillReport {
  people: number;
  marksWritten: number;
  headsWritten: number;
}

/** `userIds`: every person (read in pages by the caller, so none is left out). */
export async function fillSharedHeads(registry: DocRegistry, table: HeadTable, userIds: AsyncIterable<string>): Promise<FillReport> {
  const newest = new Map<string, SharedHead>();
  const report: FillReport = { people: 0, marksWritten: 0, headsWritten: 0 };
  for await (const userId of userIds) {
    report.people++;
    await registry.change(userDocName(userId), (doc) => {
      const marks = headMarksOf(doc);
      headsOf(doc).forEach((value, conversationId) => {
        if (!isHead(value)) return;
        const { readSeq, mentionSeq, ...head } = value;
        const known = newest.get(conversationId);
        if (!known || head.seq > known.seq || (head.seq === known.seq && head.at > known.at)) newest.set(conversationId, head);
        // Marks the server wrote since the switch are newer than the old head's.
        if (marks.has(conversationId)) return;
        marks.set(conversationId, mentionSeq ? { readSeq, mentionSeq } : { readSeq });
        report.marksWritten++;
      });
    });
  }
  for (const [conversationId, head] of newest) {
    const stored = (await table.since([conversationId], 0)).get(conversationId);
    if (stored && stored.head.seq >= head.seq) continue;
    if (await table.put(conversationId, head)) report.headsWritten++;
  }
  return report;
}
