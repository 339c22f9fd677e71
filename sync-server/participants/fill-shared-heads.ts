/**
 * The one-off pass that turns shared heads on over a store the per-member
 * heads wrote (docs/PROTOCOL.md, "Shared conversation heads", Migration):
 * `npm run admin -- fill-shared-heads`, with the server stopped. Each
 * person's `user/<id>` holds a head per conversation with their own
 * `readSeq`/`mentionSeq`; the pass writes those marks into the person's
 * `headMarks` (where a mark is missing or lower) and, per conversation, the newest
 * head any member holds into the head table (where the table has none or an
 * older one). A conversation loaded after the switch writes its own head
 * anyway; this covers the ones not loaded since, so a member's first
 * catch-up lists every conversation. Idempotent: a second run writes nothing.
 */
import { type HeadMarks, isHead, type SharedHead } from '../../shared/heads.js';
import { headMarksOf, headsOf } from '../../shared/schema.js';
import { userDocName } from '../../shared/doc-names.js';
import type { Logger } from '../config.js';
import { DocRegistry } from '../relay/doc-registry.js';
import type { Database } from '../store/database.js';
import type { DocumentLog } from '../store/document-log.js';
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
        const merged = newerMarks(marks.get(conversationId), { readSeq, mentionSeq });
        if (!merged) return;
        marks.set(conversationId, merged);
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

/**
 * The marks to keep when a person holds `fromHead` in a per-member head and
 * maybe `kept` in `headMarks` already; null when `kept` needs no change.
 * Both only move forward: marks the server wrote while shared heads were on
 * can be newer than the head's, and a head written while they were off
 * (HEADS_SHARED=0, then on again) can be newer than the marks, so each
 * number takes the larger of the two.
 */
export function newerMarks(kept: HeadMarks | undefined, fromHead: HeadMarks): HeadMarks | null {
  const readSeq = Math.max(kept?.readSeq ?? 0, fromHead.readSeq);
  const mentionSeq = Math.max(kept?.mentionSeq ?? 0, fromHead.mentionSeq ?? 0);
  if (kept && kept.readSeq === readSeq && (kept.mentionSeq ?? 0) === mentionSeq) return null;
  return mentionSeq ? { readSeq, mentionSeq } : { readSeq };
}

/** Set in the store's `meta` once the pass has run at a start (a fresh store has it at its first start). */
export const SHARED_HEADS_FILLED_KEY = 'sharedHeadsFilled';

/** What the start-time pass needs of the embedded store. */
export interface FillAtStartStore {
  db: Database;
  /** The documents' log (the server's, so a test's injected one is the one read). */
  documents: DocumentLog;
  compactThreshold: number;
  log: Logger;
}

/**
 * At a start with shared heads (the default), on the embedded store: runs
 * the pass once if the head table was never filled, so a store the
 * per-member heads wrote needs no admin step, then sets the marker; null
 * when it had run before. Its own registry, which unloads each user
 * document as soon as it is written (a store of many people is read one
 * person at a time, not all kept in memory), and which is closed before the
 * server's registry loads anything.
 */
export async function fillSharedHeadsAtStart(store: FillAtStartStore, table: HeadTable): Promise<FillReport | null> {
  if ((await store.db.meta.get(SHARED_HEADS_FILLED_KEY)) !== undefined) return null;
  const registry = new DocRegistry({ store: store.documents, unloadGraceMs: 0, compactThreshold: store.compactThreshold, log: store.log });
  const startedAt = Date.now();
  try {
    const report = await fillSharedHeads(registry, table, store.db.users.keys());
    await store.db.meta.put(SHARED_HEADS_FILLED_KEY, Date.now());
    store.log.info('shared heads: the head table was filled from the per-member heads', { ...report, ms: Date.now() - startedAt });
    return report;
  } finally {
    await registry.closeAll();
  }
}

/**
 * At a start with shared heads off (HEADS_SHARED=0): heads go into user
 * documents only from now on, so the table falls behind; without the marker
 * the next start with shared heads fills it again from them.
 */
export async function forgetSharedHeadsFill(db: Database): Promise<void> {
  await db.meta.del(SHARED_HEADS_FILLED_KEY);
}
