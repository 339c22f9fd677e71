/**
 * The iframe's data layer against a real server: session, sync over
 * single-use tickets, reconnecting with a fresh ticket after the server goes
 * away, messages written meanwhile delivered once, blocking, reset.
 */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../../sync-server/testing/api-call.js';
import { createUser } from '../../sync-server/testing/test-users.js';
import { waitFor } from '../../sync-server/testing/wait-for.js';
import { useTestServer } from '../../sync-server/testing/use-test-server.js';
import { memoryStorage } from '../testing/memory-storage.js';
import { whenChanged } from '../testing/wait-for.js';
import { siteOf, useWidgetVisitors, WIDGET_HOST } from '../testing/widget-frame.js';

const t = useTestServer();
const visitorOf = useWidgetVisitors(t);

describe('WidgetVisitor', () => {
  it('chats over single-use tickets and reconnects with a fresh one after the server went away', async () => {
    const owner = await createUser(t.server, 'Owner');
    const site = await siteOf(t, owner);
    const visitor = visitorOf(site.key);
    visitor.hello(WIDGET_HOST);
    await visitor.settled();
    expect(visitor.phase).toBe('ready');
    const conversation = visitor.conversation;
    if (!conversation) throw new Error('no conversation');
    await whenChanged(conversation, () => conversation.status === 'online', 'the first sync');

    const first = conversation.send('Do you ship to Lyon?');
    expect(first.ok).toBe(true);
    await whenChanged(conversation, () => conversation.pendingCount() === 0, 'the first message delivered');

    // The server goes away and comes back on the same port; a message written meanwhile waits.
    const port = Number(new URL(t.server.url).port);
    await t.restart({ port });
    conversation.send('Still there?');
    await whenChanged(
      conversation,
      () => conversation.status === 'online' && conversation.pendingCount() === 0,
      'the second message delivered after the restart',
    );

    const ownerChat = t.open(owner, convDocName(conversation.conversationId));
    await waitFor(ownerChat.doc, () => seqIndexOf(ownerChat.doc).size === 2, 10_000, "both messages on the owner's side");
    const texts = [...messagesOf(ownerChat.doc).values()].map((message) => message.text).sort();
    expect(texts).toEqual(['Do you ship to Lyon?', 'Still there?']);
  });

  it('resumes the stored visitor, and stops for good when the site blocks it', async () => {
    const owner = await createUser(t.server, 'Owner');
    const site = await siteOf(t, owner);
    const storage = memoryStorage();
    const first = visitorOf(site.key, storage);
    first.hello(WIDGET_HOST);
    await first.settled();
    const guestId = first.visitor?.guestId;
    await first.destroy();

    const again = visitorOf(site.key, storage);
    again.hello(WIDGET_HOST);
    await again.settled();
    expect(again.visitor?.guestId).toBe(guestId);
    const conversation = again.conversation;
    if (!conversation) throw new Error('no conversation');
    await whenChanged(conversation, () => conversation.status === 'online', 'the sync');

    const blocked = await api(t.server, 'POST', `/api/sites/${site.key}/visitors/${guestId}/block`, { cookie: owner.cookie });
    expect(blocked.status).toBe(204);
    await whenChanged(again, () => again.phase === 'blocked', 'the visitor to see it is blocked');
    expect(again.conversation).toBeNull();

    // Coming back with the same storage: still blocked, no new identity.
    const later = visitorOf(site.key, storage);
    later.hello(WIDGET_HOST);
    await later.settled();
    expect(later.phase).toBe('blocked');
  });

  it('starts over as a new visitor on reset, and is refused on a host not on the list', async () => {
    const owner = await createUser(t.server, 'Owner');
    const site = await siteOf(t, owner);
    const visitor = visitorOf(site.key);
    visitor.hello(WIDGET_HOST);
    await visitor.settled();
    const before = visitor.visitor?.guestId;
    visitor.reset();
    await visitor.settled();
    expect(visitor.phase).toBe('ready');
    expect(visitor.visitor?.guestId).not.toBe(before);
    expect(visitor.conversation?.guestId).toBe(visitor.visitor?.guestId);

    const elsewhere = visitorOf(site.key);
    elsewhere.hello('https://evil.example');
    await elsewhere.settled();
    expect(elsewhere.phase).toBe('not-allowed');
    expect(elsewhere.conversation).toBeNull();
  });

  it('drops a copy the relay refused, syncs afresh and sends the honest unsent messages once', async () => {
    const owner = await createUser(t.server, 'Owner');
    const site = await siteOf(t, owner);
    const visitor = visitorOf(site.key);
    visitor.hello(WIDGET_HOST);
    await visitor.settled();
    const refused = visitor.conversation;
    if (!refused) throw new Error('no conversation');
    await whenChanged(refused, () => refused.status === 'online', 'the first sync');

    // A forged message (another author) next to an honest one: the relay refuses the update.
    refused.doc.transact(() => {
      refused.send('An honest question');
      writeMessage(refused.doc, owner.id, 'Forged');
    });
    await whenChanged(visitor, () => visitor.conversation !== refused && visitor.conversation !== null, 'a fresh copy');
    const fresh = visitor.conversation;
    if (!fresh) throw new Error('no conversation');
    await whenChanged(fresh, () => fresh.status === 'online', 'the resync');
    await whenChanged(fresh, () => fresh.pendingCount() === 0 && fresh.messages().length === 1, 'the honest message delivered');
    expect(fresh.messages().map((entry) => entry.message.text)).toEqual(['An honest question']);

    const ownerChat = t.open(owner, convDocName(fresh.conversationId));
    await waitFor(ownerChat.doc, () => seqIndexOf(ownerChat.doc).size === 1, 10_000, "the owner's copy");
    expect([...messagesOf(ownerChat.doc).values()].map((message) => message.text)).toEqual(['An honest question']);
  });
});
