/**
 * A mention edited into a message of an older history segment while
 * nobody has the newest segment loaded (docs/SEGMENTS.md, "Server
 * participants per segment"): the mentioned member's @ mark is written
 * when the edit is stored, not only with the conversation's next mention.
 * The heads mark it through the newest segment's follow, which the relay
 * loads for it. Real relay, real LevelDB.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { convDocName, segmentDocName, userDocName } from '../../shared/doc-names.js';
import { headMarksOf, headsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { editText } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { openSegmented } from '../testing/segmented-client.js';
import { whenSynced } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const BOUND = 4;
describe.each([false, true])('heads shared: %s', (headsShared) => {
  const test = useTestServer({
    historySegments: { messages: BOUND, bytes: 0, newInSegmentOne: true },
    headsCoalesceMs: 0,
    headsShared,
    // Rooms nobody holds unload soon, so the test can wait for the newest segment to go.
    docUnloadGraceMs: 50,
  });
  /** Cy's @ mark for the conversation: in the head (per-member heads) or in the marks beside the shared head. */
  const mentionOf = (doc: Y.Doc, conversationId: string) => (headsShared ? headMarksOf(doc) : headsOf(doc)).get(conversationId)?.mentionSeq;
  /** Cy's list shows the newest message (a head per member); shared heads write Cy's marks only when they move: nothing to wait for. */
  const listed = (doc: Y.Doc, conversationId: string, seq: number | undefined) =>
    headsShared || headsOf(doc).get(conversationId)?.seq === seq;

  it('a mention edited into an older segment with the newest unloaded marks the mentioned member at once', async () => {
    const [ada, cy] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Cy')];
    await befriend(test.server, ada, cy);
    const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'Team', memberIds: [cy.id] },
    });
    expect(created.status).toBe(201);
    const conversationId = created.body.id;
    const client = await openSegmented(test.server, ada, conversationId);
    const first = await client.sendAndWait('see the plan');
    for (let i = 0; i < 2 * BOUND && client.newest() <= first.segment; i++) await client.sendAndWait(`roll ${i}`);
    expect(client.newest()).toBeGreaterThan(first.segment);
    const last = await client.sendAndWait('in the newest');
    expect(last.segment).toBeGreaterThan(first.segment);
    const lastSeq = seqIndexOf((await client.segment(last.segment)).doc).get(last.message.id);
    const cysList = test.open(cy, userDocName(cy.id));
    await waitFor(cysList.doc, () => listed(cysList.doc, conversationId, lastSeq), 10_000, "Cy's entry in the list");
    expect(mentionOf(cysList.doc, conversationId)).toBeUndefined();

    // Ada's device goes; another of hers opens the older segment only (reading far back, or an edit synced late).
    const { registry } = test.server.context;
    const newestName = segmentDocName(conversationId, last.segment);
    const unloaded = new Promise<void>((resolve) => {
      const stop = registry.onUnload((name) => {
        if (name !== newestName) return;
        stop();
        resolve();
      });
    });
    const older = test.open(ada, segmentDocName(conversationId, first.segment));
    await whenSynced(older);
    client.destroy();
    await unloaded;
    expect(registry.isLoaded(newestName)).toBe(false);
    expect(registry.isLoaded(segmentDocName(conversationId, first.segment))).toBe(true);
    expect(newestName).not.toBe(convDocName(conversationId));

    editText(older.doc, first.message.id, 'see the plan @Cy');
    const seq = seqIndexOf(older.doc).get(first.message.id);
    expect(seq).toBeLessThan(lastSeq ?? 0);
    await waitFor(cysList.doc, () => mentionOf(cysList.doc, conversationId) === seq, 10_000, "Cy's @ mark from the edit");
    // The mark only: the head stays at the newest message.
    if (!headsShared) expect(headsOf(cysList.doc).get(conversationId)?.seq).toBe(lastSeq);
  });
});
