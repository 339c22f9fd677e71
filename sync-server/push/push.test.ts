/**
 * Push notifications end to end on the server: a real server, real
 * y-websocket clients writing messages, `web-push` sending to a push
 * service stand-in on loopback that checks VAPID and decrypts every push
 * with the device's keys (testing/push-service-stand-in.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import type { PushPayload } from '../../shared/push-payload.js';
import { ROBOT_NAME } from '../../shared/robot.js';
import { editText, writeMessage } from '../../shared/testing/text-message.js';
import { loadConfig } from '../config.js';
import { startPushServiceStandIn, type PushServiceStandIn, type StandInSubscription } from '../testing/push-service-stand-in.js';
import { api } from '../testing/api-call.js';
import { befriend, directConversation } from '../testing/direct-conversation.js';
import type { SyncedClient } from '../testing/synced-client.js';
import { nextPushDecision } from '../testing/push-decisions.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

let standIn: PushServiceStandIn;
beforeAll(async () => {
  standIn = await startPushServiceStandIn();
});
afterAll(() => standIn.close());

/**
 * Longer than a busy machine can take between a push and the next messages' store: "coalesces a burst" needs
 * its second and third message inside the first push's throttle, and at 300 ms a loaded machine let the
 * second go out on its own (count 2, not 3). Tests of one push per conversation never wait for it.
 */
const THROTTLE_MS = 3000;
const test = useTestServer(async () => ({
  push: { ...loadConfig({}).push, serviceHosts: [standIn.origin], throttleMs: THROTTLE_MS, extraCaFile: standIn.caFile },
}));

/** Registers a device for `user`, from an app speaking `language` (its Accept-Language) when given. */
async function subscribe(user: TestUser, language?: string): Promise<StandInSubscription> {
  const subscription = standIn.subscribe();
  const response = await api(test.server, 'POST', '/api/push/subscriptions', { cookie: user.cookie, body: subscription, language });
  expect(response.status).toBe(201);
  return subscription;
}

/** Resolves once `observer`'s replica shows `userId`'s presence with `viewing` set to `viewing` (so the relay holds it). */
function presenceSeen(observer: SyncedClient, viewer: SyncedClient, viewing: boolean): Promise<void> {
  const awareness = observer.provider.awareness;
  const id = viewer.provider.awareness.clientID;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (awareness.getStates().get(id)?.viewing !== viewing) return;
      clearTimeout(timer);
      awareness.off('change', check);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error('presence not seen')), 10_000);
    awareness.on('change', check);
    check();
  });
}

const payloadOf = (push: { payload: unknown }) => push.payload as PushPayload;

async function pair(): Promise<{ alice: TestUser; bob: TestUser; conversationId: string; aliceClient: SyncedClient }> {
  const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
  const conversationId = await directConversation(test.server, alice, bob);
  return { alice, bob, conversationId, aliceClient: test.open(alice, convDocName(conversationId)) };
}

/** Ada's group "Engines" with Bob, who has a device subscribed and has muted it (the server's settings say so); Ada's client in it. */
async function mutedGroup() {
  const [ada, bob] = [await createUser(test.server, 'Ada Lovelace'), await createUser(test.server, 'Bob')];
  await befriend(test.server, ada, bob);
  const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
    cookie: ada.cookie,
    body: { kind: 'group', title: 'Engines', memberIds: [bob.id] },
  });
  const groupId = created.body.id;
  const device = await subscribe(bob);
  expect((await api(test.server, 'PUT', `/api/conversations/${groupId}/mute`, { cookie: bob.cookie, body: { muted: true } })).status).toBe(
    200,
  );
  expect((await api<{ muted: string[] }>(test.server, 'GET', '/api/push/settings', { cookie: bob.cookie })).body.muted).toEqual([groupId]);
  return { ada, bob, groupId, device, adaClient: test.open(ada, convDocName(groupId)) };
}

describe('push notifications', () => {
  it('sends a person with the app closed an encrypted, VAPID-signed push for a new message', async () => {
    const { alice, bob, conversationId, aliceClient } = await pair();
    const device = await subscribe(bob);
    writeMessage(aliceClient.doc, alice.id, 'Dinner at eight?');
    const push = await standIn.nextPush(device.endpoint);
    expect(payloadOf(push)).toEqual({
      v: 1,
      conversationId,
      tag: `conversation-${conversationId}`,
      title: 'Alice',
      body: 'Dinner at eight?',
      count: 1,
      badge: 1,
      url: `/c/${conversationId}`,
    });
    const key = await api<{ publicKey: string }>(test.server, 'GET', '/api/push/key');
    expect(push.vapidKey).toBe(key.body.publicKey);
    expect(push.claims.aud).toBe(standIn.origin);
    expect(push.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(push.topic).not.toContain(conversationId);
    expect(push.ttl).toBeGreaterThan(0);
    expect(standIn.refused).toEqual([]);
  });

  it('sends nothing while the person has the conversation open and visible, and again once they look away', async () => {
    const { alice, bob, conversationId, aliceClient } = await pair();
    const device = await subscribe(bob);
    const bobClient = test.open(bob, convDocName(conversationId));
    bobClient.provider.awareness.setLocalStateField('viewing', true);
    await presenceSeen(aliceClient, bobClient, true);

    const decided = nextPushDecision(test.server, { userId: bob.id, conversationId });
    const seen = writeMessage(aliceClient.doc, alice.id, 'you are reading this');
    expect(await decided).toMatchObject({ outcome: 'viewing', messageId: seen.id });
    await test.server.context.push.notifier.idle();
    expect(standIn.received.filter((p) => p.endpoint === device.endpoint)).toEqual([]);

    // The tab goes to the background: the next message is pushed.
    bobClient.provider.awareness.setLocalStateField('viewing', false);
    await presenceSeen(aliceClient, bobClient, false);
    writeMessage(aliceClient.doc, alice.id, 'still there?');
    expect(payloadOf(await standIn.nextPush(device.endpoint)).body).toContain('still there?');
  });

  it('coalesces a burst into one notification per conversation carrying the count', async () => {
    const { alice, bob, aliceClient } = await pair();
    const device = await subscribe(bob);
    writeMessage(aliceClient.doc, alice.id, 'one');
    const first = payloadOf(await standIn.nextPush(device.endpoint));
    expect(first.count).toBe(1);

    const held = [
      nextPushDecision(test.server, { userId: bob.id, outcome: 'coalesced' }),
      nextPushDecision(test.server, { userId: bob.id, outcome: 'sent', messageId: null }),
    ];
    writeMessage(aliceClient.doc, alice.id, 'two');
    writeMessage(aliceClient.doc, alice.id, 'three');
    await Promise.all(held);
    const second = payloadOf(await standIn.nextPush(device.endpoint));
    expect(second).toMatchObject({ tag: first.tag, count: 3, badge: 3, body: 'three\n3 new messages' });
    await test.server.context.push.notifier.idle();
    expect(standIn.received.filter((p) => p.endpoint === device.endpoint)).toHaveLength(2);
  });

  it('sends nothing for a muted conversation, but a mention in a group still notifies', async () => {
    const { ada, bob, groupId, device, adaClient } = await mutedGroup();
    // "Ada created the group" is unread for Bob too: system messages count like the app's unread badge.
    const muted = nextPushDecision(test.server, { userId: bob.id, conversationId: groupId });
    writeMessage(adaClient.doc, ada.id, 'the gears are in');
    expect((await muted).outcome).toBe('muted');

    writeMessage(adaClient.doc, ada.id, '@bob can you check the gears?');
    const push = payloadOf(await standIn.nextPush(device.endpoint));
    expect(push).toMatchObject({ title: 'Ada Lovelace in Engines', body: '@bob can you check the gears?\n3 new messages' });
    await test.server.context.push.notifier.idle();
    expect(standIn.received.filter((p) => p.endpoint === device.endpoint)).toHaveLength(1);
  });

  it('pushes the person an edit newly mentions, once, muted or not (issue 15)', async () => {
    const { ada, bob, groupId, device, adaClient } = await mutedGroup();
    const muted = nextPushDecision(test.server, { userId: bob.id, conversationId: groupId });
    const gears = writeMessage(adaClient.doc, ada.id, 'the gears are in');
    expect((await muted).outcome).toBe('muted');

    editText(adaClient.doc, gears.id, 'the gears are in, @bob');
    const push = payloadOf(await standIn.nextPush(device.endpoint));
    expect(push).toMatchObject({ title: 'Ada Lovelace in Engines', body: 'the gears are in, @bob\n2 new messages' });

    // A typo fixed in the same message mentions nobody new: no second push (the next message's decision comes after it).
    editText(adaClient.doc, gears.id, 'the gears are in, @bob!');
    const next = nextPushDecision(test.server, { userId: bob.id, conversationId: groupId });
    writeMessage(adaClient.doc, ada.id, 'oiled too');
    expect((await next).outcome).toBe('muted');
    await test.server.context.push.notifier.idle();
    expect(standIn.received.filter((p) => p.endpoint === device.endpoint)).toHaveLength(1);
  });

  it('leaves a muted conversation out of the app badge, and counts it again once unmuted', async () => {
    const { alice, bob, conversationId, aliceClient } = await pair();
    const device = await subscribe(bob);
    writeMessage(aliceClient.doc, alice.id, 'are you coming?');
    expect(payloadOf(await standIn.nextPush(device.endpoint)).badge).toBe(1);
    const mute = await api(test.server, 'PUT', `/api/conversations/${conversationId}/mute`, { cookie: bob.cookie, body: { muted: true } });
    expect(mute.status).toBe(200);

    // Another conversation's push: the badge counts it alone (it counted Alice's unread message too).
    const carol = await createUser(test.server, 'Carol');
    const carolConversation = await directConversation(test.server, carol, bob);
    const carolClient = test.open(carol, convDocName(carolConversation));
    writeMessage(carolClient.doc, carol.id, 'lunch?');
    expect(payloadOf(await standIn.nextPush(device.endpoint))).toMatchObject({ body: 'lunch?', badge: 1 });

    // Unmuted, Alice's conversation counts again.
    const unmute = await api(test.server, 'PUT', `/api/conversations/${conversationId}/mute`, {
      cookie: bob.cookie,
      body: { muted: false },
    });
    expect(unmute.status).toBe(200);
    writeMessage(carolClient.doc, carol.id, 'at one?');
    expect(payloadOf(await standIn.nextPush(device.endpoint))).toMatchObject({ count: 2, badge: 3 });
  });

  it('refuses to mute a conversation the person is not in', async () => {
    const { conversationId } = await pair();
    const eve = await createUser(test.server, 'Eve');
    const refused = await api(test.server, 'PUT', `/api/conversations/${conversationId}/mute`, {
      cookie: eve.cookie,
      body: { muted: true },
    });
    expect(refused.status).toBe(404);
  });

  it('hides the sender and text when the person chose so', async () => {
    const { alice, bob, conversationId, aliceClient } = await pair();
    const device = await subscribe(bob);
    const changed = await api(test.server, 'PATCH', '/api/push/settings', { cookie: bob.cookie, body: { showContent: false } });
    expect(changed.body).toEqual({ showContent: false, muted: [], digestAfterMinutes: null });
    writeMessage(aliceClient.doc, alice.id, 'the secret is 42');
    const push = payloadOf(await standIn.nextPush(device.endpoint));
    expect(push).toMatchObject({ conversationId, title: 'Happy Chat', body: 'New message' });
    expect(JSON.stringify(push)).not.toContain('secret');
    expect(JSON.stringify(push)).not.toContain('Alice');
  });

  // Issue 16: pushes are sent outside any request; each device speaks the language it subscribed in.
  it("speaks each device's language: the one of the request that registered it", async () => {
    const { alice, bob, aliceClient } = await pair();
    const chinese = await subscribe(bob, 'zh-CN,zh;q=0.9,en;q=0.5');
    const english = await subscribe(bob, 'en-GB');
    await api(test.server, 'PATCH', '/api/push/settings', { cookie: bob.cookie, body: { showContent: false } });
    writeMessage(aliceClient.doc, alice.id, 'hidden');
    const [inChinese, inEnglish] = [
      payloadOf(await standIn.nextPush(chinese.endpoint)),
      payloadOf(await standIn.nextPush(english.endpoint)),
    ];
    expect(inChinese).toMatchObject({ title: 'Happy Chat', body: '新消息' });
    expect(inEnglish).toMatchObject({ title: 'Happy Chat', body: 'New message' });
    // Subscribing the same device again from an app now in English changes its language.
    const again = await api(test.server, 'POST', '/api/push/subscriptions', { cookie: bob.cookie, body: chinese, language: 'en' });
    expect(again.status).toBe(201);
    expect((await test.server.context.push.subscriptions.ofUser(bob.id)).map((device) => device.locale).sort()).toEqual(['en', 'en']);
  });

  it('drops a subscription the push service reports expired (410)', async () => {
    const { alice, bob, aliceClient } = await pair();
    const device = await subscribe(bob);
    const other = await subscribe(bob);
    standIn.expire(device.endpoint);
    writeMessage(aliceClient.doc, alice.id, 'anyone?');
    await standIn.nextPush(other.endpoint);
    await test.server.context.push.notifier.idle();
    const left = await test.server.context.push.subscriptions.ofUser(bob.id);
    expect(left.map((s) => s.endpoint)).toEqual([other.endpoint]);
  });

  it("removes the session's devices at sign-out, and keeps the other sessions' ones", async () => {
    const { bob } = await pair();
    const other = await api<unknown>(test.server, 'POST', '/api/auth/login', { body: { email: bob.email, password: bob.password } });
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await subscribe(bob);
    const kept = standIn.subscribe();
    expect((await api(test.server, 'POST', '/api/push/subscriptions', { cookie: otherCookie, body: kept })).status).toBe(201);
    expect(await test.server.context.push.subscriptions.ofUser(bob.id)).toHaveLength(2);
    expect((await api(test.server, 'POST', '/api/auth/logout', { cookie: bob.cookie })).status).toBe(204);
    const left = await test.server.context.push.subscriptions.ofUser(bob.id);
    expect(left.map((s) => s.endpoint)).toEqual([kept.endpoint]);
  });

  it('refuses an endpoint that is not a known push service (the server would POST there)', async () => {
    const { bob } = await pair();
    const evil = { ...standIn.subscribe(), endpoint: 'http://169.254.169.254/latest/meta-data' };
    const refused = await api<{ error: string }>(test.server, 'POST', '/api/push/subscriptions', { cookie: bob.cookie, body: evil });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('push_endpoint_not_allowed');
    expect(await test.server.context.push.subscriptions.ofUser(bob.id)).toEqual([]);
  });

  it("notifies of the robot's replies like anyone's", async () => {
    const bob = await createUser(test.server, 'Bob');
    const list = await api<Array<{ id: string; kind: string }>>(test.server, 'GET', '/api/conversations', { cookie: bob.cookie });
    const robotConversation = list.body.find((c) => c.kind === 'robot');
    if (!robotConversation) throw new Error('no robot conversation');
    const device = await subscribe(bob);
    const bobClient = test.open(bob, convDocName(robotConversation.id));
    writeMessage(bobClient.doc, bob.id, 'what is 2 + 3?');
    const push = payloadOf(await standIn.nextPush(device.endpoint));
    expect(push.title).toBe(ROBOT_NAME);
    expect(push.body).toContain('5');
  });

  it('keeps its VAPID keys across a restart (subscriptions stay valid)', async () => {
    const before = await api<{ publicKey: string }>(test.server, 'GET', '/api/push/key');
    expect(before.body.publicKey).toMatch(/^[A-Za-z0-9_-]{80,90}$/);
    await test.restart();
    const after = await api<{ publicKey: string }>(test.server, 'GET', '/api/push/key');
    expect(after.body.publicKey).toBe(before.body.publicKey);
  });
});
