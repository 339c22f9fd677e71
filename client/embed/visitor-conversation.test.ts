/**
 * The widget frame reads a conversation in history segments as the app does
 * (docs/SEGMENTS.md, issue 13): against a real server with a small bound, the
 * visitor sees the newest messages the owner sent after rollovers (it once
 * read `conv/<id>` only and saw none), scrolls back through every older
 * segment, writes into the newest, and counts unread over the segments.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/schema.js';
import { readMarker } from '../../shared/unread.js';
import { openSegmented, readConversation } from '../../sync-server/testing/segmented-client.js';
import { createUser } from '../../sync-server/testing/test-users.js';
import { waitFor } from '../../sync-server/testing/wait-for.js';
import { useTestServer } from '../../sync-server/testing/use-test-server.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';
import { memoryStorage } from '../testing/memory-storage.js';
import { whenChanged } from '../testing/wait-for.js';
import { siteOf, useWidgetVisitors, WIDGET_HOST } from '../testing/widget-frame.js';
import type { VisitorConversation } from './visitor-conversation.js';
import type { WidgetVisitor } from './widget-visitor.js';

const BOUND = 5;
const t = useTestServer({ historySegments: { messages: BOUND, bytes: 0, newInSegmentOne: true } });
const visitorOf = useWidgetVisitors(t);

/** Opens the frame for the visitor kept in `storage` (a new one if none) and waits for its first sync. */
async function openFrame(site: string, storage: KeyValueStorage): Promise<{ visitor: WidgetVisitor; conversation: VisitorConversation }> {
  const visitor = visitorOf(site, storage);
  visitor.hello(WIDGET_HOST);
  await visitor.settled();
  const conversation = visitor.conversation;
  if (!conversation) throw new Error('no conversation');
  await whenChanged(conversation, () => conversation.status === 'online', 'the first sync');
  return { visitor, conversation };
}

const texts = (conversation: VisitorConversation) => conversation.messages().map(({ message }) => message.text);

describe('VisitorConversation in history segments', () => {
  it('shows the newest segment, scrolls back through the older ones, writes into the newest and counts unread across them', async () => {
    const owner = await createUser(t.server, 'Owner');
    const site = await siteOf(t, owner);
    const storage = memoryStorage();
    const { visitor: liveVisitor, conversation: live } = await openFrame(site.key, storage);
    expect(live.send('Hello?').ok).toBe(true);
    await whenChanged(live, () => live.pendingCount() === 0, 'the first message delivered');

    const heard: string[] = [];
    live.addEventListener('incoming', (event) => heard.push((event as CustomEvent<Message>).detail.text));
    // The owner answers with three segments' worth: the conversation rolls over twice or more.
    const ownerClient = await openSegmented(t.server, owner, live.conversationId);
    try {
      const lines = Array.from({ length: 3 * BOUND }, (_, i) => `answer ${i + 1}`);
      for (const line of lines) await ownerClient.sendAndWait(line);
      const newest = ownerClient.newest();
      expect(newest).toBeGreaterThanOrEqual(3);

      // The open frame follows each rollover: it shows every answer as it arrives, tells the host page of each, and counts them unread.
      await whenChanged(live, () => texts(live).includes('answer 15'), 'the newest answer in the open frame');
      expect(texts(live)).toEqual(['Hello?', ...lines]);
      expect(heard).toEqual(lines);
      expect(live.unreadCount()).toBe(lines.length);
      await liveVisitor.destroy();

      // The visitor comes back on a fresh device: the newest segment first, older history left to scroll to.
      const { conversation } = await openFrame(site.key, storage);
      await whenChanged(conversation, () => texts(conversation).includes('answer 15'), 'the newest answer in a fresh frame');
      expect(texts(conversation)).not.toContain('answer 1');
      expect(conversation.hasOlder()).toBe(true);
      // Unread counts the numbers of the segments not opened yet too: the host page's badge shows every answer.
      expect(conversation.unreadCount()).toBe(lines.length);

      // Scrolling back opens one older segment at a time, until the first message.
      for (let i = 0; i < 10 && conversation.hasOlder(); i++) {
        const before = conversation.messages().length;
        conversation.openOlder();
        await whenChanged(conversation, () => conversation.messages().length > before, `older segment ${i + 1}`);
      }
      expect(conversation.hasOlder()).toBe(false);
      expect(texts(conversation)).toEqual(['Hello?', ...lines]);
      const numbers = conversation.messages().map(({ seq }) => seq);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));

      // Seen: the marker goes to the newest segment and covers every answer.
      conversation.markRead();
      expect(conversation.unreadCount()).toBe(0);

      // The visitor's message after the rollovers goes to the newest segment, where the owner's device reads it.
      const newestBefore = ownerClient.newest();
      conversation.send('Thanks!');
      await whenChanged(conversation, () => conversation.pendingCount() === 0, 'the answer delivered');
      const stored = await readConversation(t.server, owner, conversation.conversationId);
      const thanks = stored.find(({ message }) => message.text === 'Thanks!');
      // (It may fill that segment: the conversation then moves on to the next.)
      expect(thanks?.segment).toBe(newestBefore);
      expect(thanks?.seq).toBe(lines.length + 2);
      const { doc } = await ownerClient.segment(newestBefore);
      // Up to the visitor's own message, once numbered: writing is reading.
      await waitFor(
        doc,
        () => readMarker(doc, conversation.guestId) === lines.length + 2,
        10_000,
        "the visitor's marker in the newest segment",
      );
    } finally {
      ownerClient.destroy();
    }
  });

  it("never counts the visitor's own messages as unread, on a fresh device past a rollover either", async () => {
    const owner = await createUser(t.server, 'Owner');
    const site = await siteOf(t, owner);
    const storage = memoryStorage();
    const { visitor: liveVisitor, conversation: live } = await openFrame(site.key, storage);
    // More than a segment of questions at once, the bubble closed (nothing marks them read): the conversation rolls over.
    const questions = Array.from({ length: 2 * BOUND + 2 }, (_, i) => `question ${i + 1}`);
    for (const question of questions) expect(live.send(question).ok).toBe(true);
    await whenChanged(live, () => live.pendingCount() === 0, 'the questions delivered');
    const ownerClient = await openSegmented(t.server, owner, live.conversationId);
    try {
      await ownerClient.sendAndWait('One answer');
      await whenChanged(live, () => texts(live).includes('One answer'), 'the answer in the open frame');
      expect(live.unreadCount()).toBe(1);
      await liveVisitor.destroy();

      // A fresh device shows the newest segment only: the numbers before it are not all unread (it counted 13).
      const { conversation: fresh } = await openFrame(site.key, storage);
      await whenChanged(fresh, () => texts(fresh).includes('One answer'), 'the answer in a fresh frame');
      expect(fresh.hasOlder()).toBe(true);
      expect(fresh.unreadCount()).toBe(1);

      // The visitor's next message, numbered after the unread answer, does not pass it: the answer stays unread.
      fresh.send('Are you there?');
      await whenChanged(fresh, () => fresh.pendingCount() === 0, 'the next question delivered');
      const { doc } = await ownerClient.segment(ownerClient.newest());
      await waitFor(
        doc,
        () => fresh.messages().some(({ message, seq }) => message.text === 'Are you there?' && seq !== undefined),
        10_000,
        'numbered',
      );
      expect(fresh.unreadCount()).toBe(1);
      expect(readMarker(doc, fresh.guestId)).toBe(questions.length);
    } finally {
      ownerClient.destroy();
    }
  });
});
