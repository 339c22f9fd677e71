/**
 * The core flows in Firefox and WebKit (Safari's engine), each against a
 * Chromium peer: sign up → activate → sign in; chat both ways; a picture;
 * reload with the server gone (service worker shell, IndexedDB history),
 * write while it is gone, delivered in order when it is back.
 */
import type { Browser } from '@playwright/test';
import { openEngine, type EngineName, type EnginePage } from './engine-browser.js';
import type { EngineServer } from './engine-server.js';
import { befriend, chromiumPeer, messagesOn, newPerson, sendFrom, signUpActivateSignIn } from './engine-people.js';
import { expect, test, until } from './engine-test.js';

/**
 * What each engine offers, as the settings say it: Firefox can be asked for
 * persistent storage (it asks the person) and has Web Push; WebKitGTK has
 * neither `navigator.storage.persist()` nor a PushManager.
 */
const DEVICE_PROMISES: Record<EngineName, { storage: string; push: string }> = {
  firefox: { storage: 'best-effort', push: 'Get a notification when a message arrives and the app is closed.' },
  webkit: { storage: 'unsupported', push: 'This browser cannot show notifications when the app is closed.' },
};

let page: EnginePage | undefined;

test.afterEach(async () => {
  await page?.close();
  page = undefined;
});

/**
 * Alice signs up in the engine, befriends Bob (a Chromium peer) and opens
 * their chat; the engine's page is kept in `page` for the cleanup.
 */
async function aliceInAChatWithBob(engine: EngineName, server: EngineServer, browser: Browser) {
  const alice = await openEngine(engine);
  page = alice;
  const person = newPerson('Alice');
  await signUpActivateSignIn(alice, server, person);
  const bob = await chromiumPeer(browser, server, 'Bob');
  await befriend(alice, server, bob.user, person);
  await until(
    alice,
    'the chat with Bob starts',
    `
    fill('new-conversation-email', args.email); click('new-conversation-submit'); return true;`,
    { email: bob.user.email },
  );
  await until(alice, 'the chat with Bob is open', `return text(one('conversation-title')) === 'Bob';`);
  return { alice, bob };
}

/** Opens the direct chat with `name` from the conversation list. */
async function openChatWith(engine: EnginePage, name: string): Promise<void> {
  await until(
    engine,
    `the chat with ${name} opens`,
    `
    if (!byTestId('conversation-title').some((t) => visible(t) && text(t) === args.name)) click('conversation-item', args.name);
    return byTestId('conversation-title').some((t) => visible(t) && text(t) === args.name);`,
    { name },
  );
}

test('signs up, activates, signs in, chats both ways with Chromium and sends a picture', async ({ engine, server, browser }) => {
  const { alice: page, bob } = await aliceInAChatWithBob(engine, server, browser);

  await sendFrom(page, `hello from ${engine}`);
  await until(page, 'the message is delivered', `return messages().length === 1 && messages()[0].state === 'delivered';`);
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(bob.page.getByTestId('message-text')).toHaveText([`hello from ${engine}`]);

  await bob.page.getByTestId('composer-input').fill('hello from Chromium');
  await bob.page.getByTestId('composer-input').press('Enter');
  await until(page, 'Bob’s answer arrives', `return messages().map((m) => m.text).join('|') === args.expected;`, {
    expected: `hello from ${engine}|hello from Chromium`,
  });

  // A picture, drawn in the engine, picked through the composer's file input.
  await page.run(`
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 480;
    const context = canvas.getContext('2d');
    context.fillStyle = '#c33'; context.fillRect(0, 0, 640, 480);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'photo.png', { type: 'image/png' }));
    const input = byTestId('picture-input')[0];
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    return true;`);
  await until(
    page,
    'the picture is staged and sent',
    `
    const staged = byTestId('staged-picture');
    if (staged.length !== 1 || staged[0].classList.contains('busy')) return false;
    click('composer-send'); return true;`,
  );
  await until(page, 'the picture is delivered', `return messages().length === 3 && messages()[2].state === 'delivered';`);
  await expect(bob.page.getByTestId('message-image')).toHaveCount(1);
  await expect.poll(() => bob.page.getByTestId('message-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
  await bob.close();

  // What this engine promises about the device's history, and about notifications, in words in the profile sheet.
  await until(page, 'the profile sheet opens', `click('profile-edit'); return true;`);
  const promises = await until<{ storage: string; push: string }>(
    page,
    'the settings know what the browser offers',
    `
    const storage = one('storage-state').dataset.state;
    const push = text(one('push-device-note'));
    return storage !== 'checking' && push !== 'Checking…' && { storage, push };`,
  );
  expect(promises).toEqual(DEVICE_PROMISES[engine]);
});

test('reads and writes with the server gone, survives reloads, delivers in order when it is back', async ({ engine, server, browser }) => {
  const { alice: page, bob } = await aliceInAChatWithBob(engine, server, browser);
  await sendFrom(page, 'before the tunnel');
  await until(page, 'the first message is delivered', `return messages().length === 1 && messages()[0].state === 'delivered';`);
  // Polled, not awaited in one script: a single long evaluation that missed the
  // worker's controllerchange once hung in Firefox until the protocol timed out.
  await until(page, 'the service worker controls the page', `return navigator.serviceWorker.controller !== null;`);

  await server.stop();
  await page.reload();
  // The shell came from the service worker and the history from IndexedDB.
  await until(
    page,
    'the app opens signed in, offline',
    `return text(one('current-user')) === 'Alice' && one('sync-status').dataset.status === 'offline';`,
  );
  await openChatWith(page, 'Bob');
  await until(page, 'the history is there', `return messages().map((m) => m.text).join('|') === 'before the tunnel';`);

  await sendFrom(page, 'offline one');
  await sendFrom(page, 'offline two');
  await until(
    page,
    'two messages wait',
    `return messages().filter((m) => m.state === 'pending').length === 2 && one('sync-status').dataset.pending === '2';`,
  );

  // Reopening the page keeps them, still waiting.
  await page.reload();
  await openChatWith(page, 'Bob');
  await until(
    page,
    'they survived the reload',
    `
    const list = messages();
    return list.map((m) => m.text).join('|') === 'before the tunnel|offline one|offline two' && list.filter((m) => m.state === 'pending').length === 2;`,
  );

  await server.start();
  await until(
    page,
    'all three are delivered',
    `return messages().filter((m) => m.state === 'delivered').length === 3 && one('sync-status').dataset.status === 'online';`,
    null,
    40_000,
  );
  expect((await messagesOn(page)).map((m) => m.text)).toEqual(['before the tunnel', 'offline one', 'offline two']);

  await bob.page.reload();
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(bob.page.getByTestId('message-text')).toHaveText(['before the tunnel', 'offline one', 'offline two'], { timeout: 20_000 });
  await bob.close();
});
