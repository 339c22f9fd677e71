/**
 * Push notifications in Chromium (issue 17). Headless Chromium cannot
 * subscribe to a real push service, so the chain is: the real server sends
 * each push to the loopback push service stand-in, which checks VAPID and
 * decrypts it with the device's keys; the decrypted payload is delivered to
 * the app's real service worker with the DevTools protocol
 * (`ServiceWorker.deliverPushMessage`), as Chromium's push service would.
 * The server runs in this process (its own DATA_DIR, the built client), so
 * the spec can point it at the stand-in and await its decisions.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { convDocName } from '../shared/doc-names.js';
import type { PushPayload } from '../shared/push-payload.js';
import { writeMessage } from '../shared/testing/text-message.js';
import { loadConfig } from '../sync-server/config.js';
import type { RunningServer } from '../sync-server/server.js';
import {
  startPushServiceStandIn,
  type PushServiceStandIn,
  type StandInSubscription,
} from '../sync-server/testing/push-service-stand-in.js';
import { api } from '../sync-server/testing/api-call.js';
import { directConversation } from '../sync-server/testing/direct-conversation.js';
import { startTestServer } from '../sync-server/testing/start-test-server.js';
import { openDoc, type SyncedClient } from '../sync-server/testing/synced-client.js';
import { makeTempDir, removeDir } from '../sync-server/testing/temp-dir.js';
import { createUser, type TestUser } from '../sync-server/testing/test-users.js';
import { nextPushDecision } from '../sync-server/testing/push-decisions.js';
import { waitForServiceWorker } from './service-worker.js';

const SHOTS = '/tmp/push-shots';

let server: RunningServer;
let dataDir: string;
let standIn: PushServiceStandIn;
const clients: SyncedClient[] = [];

test.beforeAll(async () => {
  standIn = await startPushServiceStandIn();
  dataDir = await makeTempDir('happy-chat-e2e-push-');
  server = await startTestServer({
    dataDir,
    // The run's build: a private one (CLIENT_DIR) where a run has one, as own-server.ts serves; else dist/client.
    clientDir: path.resolve(process.env.CLIENT_DIR ?? 'dist/client'),
    push: { ...loadConfig({}).push, serviceHosts: [standIn.origin], extraCaFile: standIn.caFile, throttleMs: 0 },
  });
});

test.afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
  await standIn?.close();
  await removeDir(dataDir);
});

/** A browser context signed in as `user`, allowed to show notifications. */
async function signedInContext(newContext: () => Promise<BrowserContext>, user: TestUser): Promise<BrowserContext> {
  const context = await newContext();
  const [name, ...value] = user.cookie.split('=');
  if (!name) throw new Error('no session cookie');
  await context.addCookies([{ name, value: value.join('='), url: server.url }]);
  await context.grantPermissions(['notifications'], { origin: server.url });
  return context;
}

/** The device's subscription, registered for the person's session as the page does after `pushManager.subscribe`. */
async function subscribeDevice(user: TestUser): Promise<StandInSubscription> {
  const subscription = standIn.subscribe();
  const saved = await api(server, 'POST', '/api/push/subscriptions', { cookie: user.cookie, body: subscription });
  expect(saved.status).toBe(201);
  return subscription;
}

/** Delivers a decrypted push to the page's service worker, as the browser's push service would. */
async function deliverToServiceWorker(context: BrowserContext, page: Page, payload: unknown): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const live = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(server.url));
      if (live) resolve(live.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId, data: JSON.stringify(payload) });
  await cdp.detach();
}

interface Shown {
  title: string;
  body: string;
  tag: string;
}

/** The notifications the service worker shows now. */
async function notificationsShown(context: BrowserContext): Promise<Shown[]> {
  const [worker] = context.serviceWorkers();
  if (!worker) return [];
  return worker.evaluate(async () => {
    const scope = self as unknown as ServiceWorkerGlobalScope;
    const shown = await scope.registration.getNotifications();
    return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
  });
}

async function scene(browser: import('@playwright/test').Browser) {
  const [alice, bob] = [await createUser(server, 'Alice'), await createUser(server, 'Bob')];
  const conversationId = await directConversation(server, alice, bob);
  const aliceClient = openDoc(server, alice, convDocName(conversationId));
  clients.push(aliceClient);
  const device = await subscribeDevice(bob);
  const context = await signedInContext(() => browser.newContext({ viewport: { width: 1280, height: 800 } }), bob);
  const page = await context.newPage();
  await page.goto(server.url);
  await waitForServiceWorker(page);
  return { alice, bob, conversationId, aliceClient, device, context, page };
}

test('a push shows one notification per conversation, updated with the count, and a click opens that conversation', async ({ browser }) => {
  const { alice, conversationId, aliceClient, device, context, page } = await scene(browser);
  await expect(page.getByTestId('conversation-item').filter({ hasText: 'Alice' })).toBeVisible();

  writeMessage(aliceClient.doc, alice.id, 'Are you coming tonight?');
  const first = (await standIn.nextPush(device.endpoint)).payload as PushPayload;
  expect(first).toMatchObject({ title: 'Alice', body: 'Are you coming tonight?', count: 1 });
  await deliverToServiceWorker(context, page, first);
  await expect
    .poll(() => notificationsShown(context))
    .toEqual([{ title: 'Alice', body: 'Are you coming tonight?', tag: `conversation-${conversationId}` }]);

  // Two more: still one notification for the conversation, now with the count.
  writeMessage(aliceClient.doc, alice.id, 'I can bring the cake');
  await deliverToServiceWorker(context, page, (await standIn.nextPush(device.endpoint)).payload);
  writeMessage(aliceClient.doc, alice.id, 'Answer soon!');
  await deliverToServiceWorker(context, page, (await standIn.nextPush(device.endpoint)).payload);
  await expect
    .poll(() => notificationsShown(context))
    .toEqual([{ title: 'Alice', body: 'Answer soon!\n3 new messages', tag: `conversation-${conversationId}` }]);

  // A click (dispatched in the worker: headless Chromium has no notification to click) opens the conversation.
  const [worker] = context.serviceWorkers();
  if (!worker) throw new Error('no service worker');
  await worker.evaluate(async () => {
    const scope = self as unknown as ServiceWorkerGlobalScope;
    const [notification] = await scope.registration.getNotifications();
    if (notification) scope.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
  });
  await expect(page).toHaveURL(`${server.url}/c/${conversationId}`);
  await expect(page.getByTestId('conversation-title')).toHaveText('Alice');
  await expect.poll(() => notificationsShown(context)).toEqual([]);
  await context.close();
});

test('no push while the person has the conversation open and visible; the worker shows nothing for it either', async ({ browser }) => {
  const { alice, bob, conversationId, aliceClient, device, context, page } = await scene(browser);
  await page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(page.getByTestId('conversation-title')).toHaveText('Alice');
  // The page's presence says `viewing`: wait until Alice's replica (so the relay) has it.
  await expect.poll(() => [...aliceClient.provider.awareness.getStates().values()].some((s) => s.viewing === true)).toBe(true);

  const decided = nextPushDecision(server, { userId: bob.id, conversationId });
  const message = writeMessage(aliceClient.doc, alice.id, 'you are reading this');
  expect(await decided).toMatchObject({ outcome: 'viewing', messageId: message.id });
  await server.context.push.notifier.idle();
  expect(standIn.received.filter((p) => p.endpoint === device.endpoint)).toEqual([]);
  await expect(page.getByTestId('message-text').last()).toHaveText('you are reading this');

  // A push for this conversation still in flight when the person opened it: the worker shows nothing.
  const inFlight: PushPayload = {
    v: 1,
    conversationId,
    tag: `conversation-${conversationId}`,
    title: 'Alice',
    body: 'late',
    count: 1,
    badge: 1,
    url: `/c/${conversationId}`,
  };
  await deliverToServiceWorker(context, page, inFlight);
  // Then one for another conversation, which shows: the first was handled before it.
  await deliverToServiceWorker(context, page, {
    ...inFlight,
    conversationId: 'other',
    tag: 'conversation-other',
    url: '/c/other',
    body: 'elsewhere',
  });
  await expect.poll(() => notificationsShown(context)).toEqual([{ title: 'Alice', body: 'elsewhere', tag: 'conversation-other' }]);
  await context.close();
});

test('a muted conversation sends no push; the header button mutes and unmutes', async ({ browser }) => {
  const { alice, bob, conversationId, aliceClient, device, context, page } = await scene(browser);
  await page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  const mute = page.getByTestId('mute-toggle');
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  // Another conversation: this one is no longer in view (two panes at this width: there is no Back button).
  await page.getByTestId('conversation-item').filter({ hasText: 'Happy Robot' }).click();
  await expect.poll(() => [...aliceClient.provider.awareness.getStates().values()].some((s) => s.viewing === true)).toBe(false);

  const decided = nextPushDecision(server, { userId: bob.id, conversationId });
  writeMessage(aliceClient.doc, alice.id, 'psst');
  expect((await decided).outcome).toBe('muted');
  await server.context.push.notifier.idle();
  expect(standIn.received.filter((p) => p.endpoint === device.endpoint)).toEqual([]);

  await page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  expect((await api<{ muted: string[] }>(server, 'GET', '/api/push/settings', { cookie: bob.cookie })).body.muted).toEqual([]);
  await mkdir(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 360, height: 740 });
  // On a phone the header's secondary actions sit behind "More" (chat-view.ts).
  await page.getByTestId('header-more').click();
  await expect(mute).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/header-360x740.png` });
  await context.close();
});

test('notification settings: show content, mail digest, this device (screenshots at 1280×800 and 360×740)', async ({ browser }) => {
  await mkdir(SHOTS, { recursive: true });
  const bob = await createUser(server, 'Bob');
  for (const [width, height] of [
    [1280, 800],
    [360, 740],
  ] as const) {
    const context = await signedInContext(() => browser.newContext({ viewport: { width, height } }), bob);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('profile-edit').click();
    const settings = page.getByTestId('notification-settings');
    await settings.scrollIntoViewIfNeeded();
    await expect(page.getByTestId('push-device-note')).not.toHaveText('Checking…');
    await page.screenshot({ path: `${SHOTS}/settings-${width}x${height}.png` });
    await context.close();
  }
  const context = await signedInContext(() => browser.newContext({ viewport: { width: 1280, height: 800 } }), bob);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('profile-edit').click();
  const content = page.getByTestId('push-content-toggle');
  await expect(content).toBeChecked();
  await content.click();
  await expect(content).not.toBeChecked();
  expect((await api<{ showContent: boolean }>(server, 'GET', '/api/push/settings', { cookie: bob.cookie })).body.showContent).toBe(false);
  const digest = page.getByTestId('push-digest-select');
  await expect(digest).toHaveValue('');
  await digest.selectOption('480');
  await expect
    .poll(
      async () =>
        (await api<{ digestAfterMinutes: number | null }>(server, 'GET', '/api/push/settings', { cookie: bob.cookie })).body
          .digestAfterMinutes,
    )
    .toBe(480);
  await context.close();
});
