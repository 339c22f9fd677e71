/**
 * The trust attack suite against history segments (docs/SEGMENTS.md): in an
 * older segment, after the conversation moved on, a member is held to the
 * same rules as in the newest (forged author, editing another's message,
 * writing `seq`), nobody but the server writes the segment list, a
 * non-member opens no segment, and a segment the list does not name yet is
 * not served. Each refused attack leaves the relay's copy as it was.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { convDocName, segmentDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, segmentsOf, seqOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage } from '../../shared/testing/text-message.js';
import { directConversation } from '../testing/direct-conversation.js';
import { openRawSession, type RawSession } from '../testing/raw-session.js';
import { openSegmented } from '../testing/segmented-client.js';
import { openDoc, whenSynced } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const BOUND = 3;
const test = useTestServer({ historySegments: { messages: BOUND, bytes: 0 } });

interface Scene {
  alice: TestUser;
  mallory: TestUser;
  conversationId: string;
  /** Alice's messages in segment 0, which is closed now. */
  old: Message[];
}

let scene: Scene;

beforeEach(async () => {
  const [alice, mallory] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Mallory')];
  const conversationId = await directConversation(test.server, alice, mallory);
  const client = await openSegmented(test.server, alice, conversationId);
  const old: Message[] = [];
  for (let i = 0; i < BOUND; i++) old.push((await client.sendAndWait(`old ${i}`)).message);
  await waitFor((await client.segment(0)).doc, () => client.newest() === 1, 10_000, 'segment 1 opened');
  client.destroy();
  scene = { alice, mallory, conversationId, old };
});

/** Mallory's attack in `docName` is refused for `rule`. */
async function refused(docName: string, rule: string, attack: (session: RawSession) => void): Promise<void> {
  const session = await openRawSession(test.server, scene.mallory, docName);
  await session.synced;
  attack(session);
  expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: `refused: ${rule}` });
}

/** The relay's copy of a document, read through a fresh replica of Alice's. */
async function relayCopy(docName: string): Promise<Y.Doc> {
  const client = openDoc(test.server, scene.alice, docName);
  await whenSynced(client);
  return client.doc;
}

describe('in an older segment the relay refuses', () => {
  it('a message with a forged author', async () => {
    const forged = textMessage(scene.alice.id, 'I owe Mallory 1000 €');
    await refused(convDocName(scene.conversationId), 'forged-author', (s) => s.write((doc) => messagesOf(doc).set(forged.id, forged)));
    expect(messagesOf(await relayCopy(convDocName(scene.conversationId))).has(forged.id)).toBe(false);
  });

  it("editing another member's message", async () => {
    const [target] = scene.old;
    await refused(convDocName(scene.conversationId), 'not-your-message', (s) =>
      s.write((doc) => messagesOf(doc).set(target.id, { ...target, author: scene.mallory.id, text: 'pwned' })),
    );
    expect(messagesOf(await relayCopy(convDocName(scene.conversationId))).get(target.id)).toEqual(target);
  });

  it('writing `seq` (to move an old message to the end)', async () => {
    const [target] = scene.old;
    await refused(convDocName(scene.conversationId), 'server-only', (s) => s.write((doc) => seqOf(doc).set(target.id, 1000)));
    expect(seqIndexOf(await relayCopy(convDocName(scene.conversationId))).get(target.id)).toBe(1);
  });
});

describe('the segment list', () => {
  it('is written by the server alone: a member adding a segment is refused', async () => {
    await refused(convDocName(scene.conversationId), 'server-only', (s) =>
      s.write((doc) => segmentsOf(doc).set('2', { firstSeq: 1, openedAt: Date.now() })),
    );
    expect([...segmentsOf(await relayCopy(convDocName(scene.conversationId))).keys()]).toEqual(['1']);
  });

  it('is refused in a segment too', async () => {
    await refused(segmentDocName(scene.conversationId, 1), 'server-only', (s) =>
      s.write((doc) => segmentsOf(doc).set('9', { firstSeq: 1, openedAt: Date.now() })),
    );
  });
});

describe('opening segments', () => {
  it('a non-member opens no segment of the conversation', async () => {
    const eve = await createUser(test.server, 'Eve');
    const session = await openRawSession(test.server, eve, segmentDocName(scene.conversationId, 1));
    expect((await session.closed).code).toBe(CloseCode.forbidden);
  });

  it('a segment the list does not name yet is not served (loaded early, it would never learn it became the newest)', async () => {
    const session = await openRawSession(test.server, scene.mallory, segmentDocName(scene.conversationId, 2));
    expect((await session.closed).code).toBe(CloseCode.tryAgainLater);
    // The conversation goes on: segment 1 still numbers.
    const client = await openSegmented(test.server, scene.mallory, scene.conversationId);
    const { segment } = await client.sendAndWait('still here');
    expect(segment).toBe(1);
    client.destroy();
  });
});
