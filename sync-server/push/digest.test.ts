/**
 * The optional mail digest: what stays unread for the chosen time is mailed
 * once (to the outbox here), as a list without the messages' text; what
 * was read meanwhile is not.
 */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { readsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { nextPushDecision } from '../testing/push-decisions.js';
import { outboxMailsTo } from '../testing/outbox-mail.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();
const HOUR = 60 * 60_000;

async function mailsTo(user: TestUser): Promise<Array<{ subject: string; text: string }>> {
  return (await outboxMailsTo(test.dataDir, user.email)).map((mail) => ({ subject: mail.subject ?? '', text: mail.text ?? '' }));
}

/** Alice and Bob; Bob turns the digest on from an app speaking `language` (its Accept-Language) when given. */
async function scene(language?: string) {
  const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
  const conversationId = await directConversation(test.server, alice, bob);
  const changed = await api(test.server, 'PATCH', '/api/push/settings', { cookie: bob.cookie, body: { digestAfterMinutes: 60 }, language });
  expect(changed.body).toMatchObject({ digestAfterMinutes: 60 });
  const aliceClient = test.open(alice, convDocName(conversationId));
  return { alice, bob, conversationId, aliceClient };
}

describe('mail digest', () => {
  it('mails what stayed unread for the chosen time, once, without the text', async () => {
    const { alice, bob, aliceClient } = await scene();
    writeMessage(aliceClient.doc, alice.id, 'first secret');
    const second = writeMessage(aliceClient.doc, alice.id, 'second secret');
    await nextPushDecision(test.server, { userId: bob.id, messageId: second.id, outcome: 'no-devices' });
    await test.server.context.push.notifier.idle();
    const before = (await mailsTo(bob)).length;

    expect(await test.server.context.push.digest.mailDue(Date.now() + 30 * 60_000)).toBe(0);
    expect(await test.server.context.push.digest.mailDue(Date.now() + HOUR + 60_000)).toBe(1);
    const mails = await mailsTo(bob);
    expect(mails).toHaveLength(before + 1);
    const digest = mails.at(-1);
    expect(digest?.subject).toBe('You have 2 unread messages on Happy Chat');
    expect(digest?.text).toContain('Alice: 2 new messages from Alice');
    expect(digest?.text).toContain(test.server.url);
    expect(digest?.text).not.toContain('secret');
    // One mail per away period.
    expect(await test.server.context.push.digest.mailDue(Date.now() + 2 * HOUR)).toBe(0);
  });

  // Issue 16: the digest is mailed outside any request; it speaks the language the settings were last changed in.
  it('mails the digest in the language of the request that turned it on', async () => {
    const { alice, bob, aliceClient } = await scene('zh-CN');
    writeMessage(aliceClient.doc, alice.id, 'first secret');
    const second = writeMessage(aliceClient.doc, alice.id, 'second secret');
    await nextPushDecision(test.server, { userId: bob.id, messageId: second.id, outcome: 'no-devices' });
    await test.server.context.push.notifier.idle();
    expect(await test.server.context.push.digest.mailDue(Date.now() + HOUR + 60_000)).toBe(1);
    const [mail] = (await outboxMailsTo(test.dataDir, bob.email)).slice(-1);
    expect(mail?.subject).toBe('你在 Happy Chat 有 2 条未读消息');
    expect(mail?.text).toContain('Bob，你好：');
    expect(mail?.text).toContain('Alice：Alice 发来 2 条新消息');
    expect(mail?.html).toContain('在 Happy Chat 中阅读');
    expect(`${mail?.subject}${mail?.text}`).not.toMatch(/unread|new message|Hello/i);
    expect(mail?.text).not.toContain('secret');
  });

  it('mails nothing for messages read in time', async () => {
    const { alice, bob, conversationId, aliceClient } = await scene();
    const message = writeMessage(aliceClient.doc, alice.id, 'see you');
    await nextPushDecision(test.server, { userId: bob.id, messageId: message.id, outcome: 'no-devices' });
    const bobClient = test.open(bob, convDocName(conversationId));
    await waitFor(bobClient.doc, () => seqIndexOf(bobClient.doc).has(message.id));
    readsOf(bobClient.doc).set(bob.id, seqIndexOf(bobClient.doc).get(message.id) ?? 0);
    await waitFor(aliceClient.doc, () => readsOf(aliceClient.doc).has(bob.id), 10_000, "Bob's read marker stored");
    await test.server.context.push.notifier.idle();
    expect(await test.server.context.push.digest.mailDue(Date.now() + 2 * HOUR)).toBe(0);
  });

  it('takes only the offered delays', async () => {
    const bob = await createUser(test.server, 'Bob');
    const refused = await api(test.server, 'PATCH', '/api/push/settings', { cookie: bob.cookie, body: { digestAfterMinutes: 1 } });
    expect(refused.status).toBe(400);
    const off = await api(test.server, 'PATCH', '/api/push/settings', { cookie: bob.cookie, body: { digestAfterMinutes: null } });
    expect(off.body).toMatchObject({ digestAfterMinutes: null, showContent: true });
  });
});
