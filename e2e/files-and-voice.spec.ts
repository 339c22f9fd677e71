/**
 * Files and voice messages (issue 15), in Chromium at 1280×800 and 360×740:
 * a file chosen offline waits in the list (across a reload), goes out when
 * the network is back, and the other side downloads the exact bytes; a
 * voice message recorded from Chromium's fake microphone plays on the other
 * side; an uploaded page is never rendered on our origin.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { befriend, startDirectChat } from './direct-chat.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_FILE_UPLOAD_MAX_BYTES } from './environment.js';
import { personInNewContext, type PersonInBrowser } from './people.js';
import { waitForServiceWorker } from './service-worker.js';

/** A screenshot to look at: into E2E_SCREENSHOTS when set (the shared test-results folder is emptied by every run), else the test's output. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  await page.screenshot({ path: dir ? path.join(dir, name) : testInfo.outputPath(name) });
}

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, device: {} },
  { name: 'phone', viewport: { width: 360, height: 740 }, device: { hasTouch: true, isMobile: true } },
] as const;

/** Bytes no text or image sniffing would take for anything but a file: every value, in a scrambled order. */
function fileBytes(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919 + 13) % 256));
}

async function aliceAt(browser: Browser, size: (typeof SIZES)[number]): Promise<{ alice: PersonInBrowser; bob: PersonInBrowser }> {
  const alice = await personInNewContext(browser, 'Alice', { ...size.viewport }, { ...size.device });
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  return { alice, bob };
}

/** Opens the chat with `name`, unless the page (a phone after a reload: the route keeps it) shows it already. */
async function openChatWith(page: Page, name: string): Promise<void> {
  const title = page.getByTestId('conversation-title');
  const item = page.getByTestId('conversation-item').filter({ hasText: name });
  // On a phone the list stays in the page, hidden, while a chat is open: whichever of the two shows.
  await expect.poll(async () => (await title.isVisible()) || (await item.isVisible())).toBe(true);
  if (!((await title.isVisible()) && (await title.textContent())?.trim() === name)) await item.click();
  await expect(page.getByTestId('conversation-title')).toHaveText(name);
}

for (const size of SIZES) {
  test(`${size.name}: a file chosen offline waits, survives a reload, goes out online, and downloads as the same bytes`, async ({
    browser,
  }, testInfo) => {
    const { alice, bob } = await aliceAt(browser, size);
    await waitForServiceWorker(alice.page);
    const bytes = fileBytes(48_000);

    await alice.context.setOffline(true);
    await alice.page.getByTestId('picture-input').setInputFiles({ name: '季度报告 Q3.pdf', mimeType: 'application/pdf', buffer: bytes });
    const pending = alice.page.locator('[data-testid="message"][data-state="pending"]');
    await expect(pending.getByTestId('file-name')).toHaveText('季度报告 Q3.pdf');
    await expect(pending.getByTestId('file-size')).toHaveText('47 kB');
    await expect(pending.getByTestId('upload-progress')).toBeVisible();
    await shot(alice.page, testInfo, `file-pending-${size.name}.png`);

    await alice.page.reload();
    await openChatWith(alice.page, 'Bob');
    await expect(pending.getByTestId('file-name')).toHaveText('季度报告 Q3.pdf');

    await alice.context.setOffline(false);
    const delivered = alice.page.locator('[data-testid="message"][data-state="delivered"]');
    await expect(delivered.getByTestId('file-name')).toHaveText('季度报告 Q3.pdf');
    // Nothing at this width scrolls sideways.
    expect(await alice.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(alice.page, testInfo, `file-sent-${size.name}.png`);

    await openChatWith(bob.page, 'Alice');
    const bobsFile = bob.page.getByTestId('message-file');
    await expect(bobsFile.getByTestId('file-name')).toHaveText('季度报告 Q3.pdf');
    await expect(bobsFile.getByTestId('file-size')).toHaveText('47 kB');
    const [download] = await Promise.all([bob.page.waitForEvent('download'), bobsFile.getByTestId('file-download').click()]);
    expect(download.suggestedFilename()).toBe('季度报告 Q3.pdf');
    expect((await readFile(await download.path())).equals(bytes)).toBe(true);
    await shot(bob.page, testInfo, `file-received-${size.name}.png`);

    await alice.context.close();
    await bob.context.close();
  });
}

for (const size of SIZES) {
  test(`a file over the server's limit (FILE_UPLOAD_MAX_BYTES) is refused in the composer with that limit, before any upload (${size.name})`, async ({
    browser,
  }) => {
    const alice = await personInNewContext(browser, 'Alice', { ...size.viewport }, { ...size.device });
    const bob = await personInNewContext(browser, 'Bob');
    await befriend(alice, bob);
    await startDirectChat(alice.page, bob.person);
    const uploads: string[] = [];
    alice.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/files')) uploads.push(request.url());
    });
    // Under the app's own default (20 MB), over the server's (8 MB here).
    await alice.page
      .getByTestId('picture-input')
      .setInputFiles({ name: 'huge.zip', mimeType: 'application/zip', buffer: Buffer.alloc(E2E_FILE_UPLOAD_MAX_BYTES + 1) });
    await expect(alice.page.getByRole('alert')).toContainText('huge.zip is larger than 8 MB');
    await expect(alice.page.getByTestId('message-file')).toHaveCount(0);
    await alice.page.screenshot({ path: `/tmp/shots/file-too-large-${size.name}.png` });
    expect(uploads).toEqual([]);
    await alice.context.close();
    await bob.context.close();
  });
}

test('an uploaded page and SVG are downloaded, never rendered on our origin', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  const page = '<!doctype html><title>owned</title><script>alert(document.cookie)</script>';
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>';
  await alice.page.getByTestId('picture-input').setInputFiles([
    { name: 'invoice.html', mimeType: 'text/html', buffer: Buffer.from(page) },
    { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) },
  ]);
  await expect(alice.page.locator('[data-testid="message"][data-state="delivered"]').getByTestId('message-file')).toHaveCount(2);

  await openChatWith(bob.page, 'Alice');
  const dialogs: string[] = [];
  bob.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  for (const name of ['invoice.html', 'logo.svg']) {
    const file = bob.page.getByTestId('message-file').filter({ hasText: name });
    const href = await file.getByTestId('file-download').getAttribute('href');
    expect(href).toMatch(/^\/api\/blobs\/[0-9a-f]{64}\?download=/);
    // Opened as a page (a link sent elsewhere, a typed address): the browser downloads it, the chat's origin runs nothing.
    const opened = await bob.context.newPage();
    opened.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const [download] = await Promise.all([opened.waitForEvent('download'), opened.goto(href ?? '').catch(() => undefined)]);
    expect(download.suggestedFilename()).toBe(name);
    const bare = await opened.goto((href ?? '').split('?')[0]).catch(() => undefined);
    expect(bare?.headers()['content-type'] ?? 'downloaded').not.toMatch(/html|svg/);
    await opened.close();
  }
  expect(dialogs).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});

test.describe('voice messages (a fake microphone)', () => {
  let withMicrophone: Browser;
  test.beforeAll(async ({ playwright }) => {
    withMicrophone = await playwright.chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    });
  });
  test.afterAll(async () => {
    await withMicrophone.close();
  });

  for (const size of SIZES) {
    test(`${size.name}: recorded with the time shown, sent, and played on the other side`, async ({ browserName: _ }, testInfo) => {
      const { alice, bob } = await aliceAt(withMicrophone, size);
      await alice.page.getByTestId('voice-button').click();
      await expect(alice.page.getByTestId('voice-elapsed')).toHaveText('0:01', { timeout: 5000 });
      await expect(alice.page.getByTestId('composer-input')).toBeHidden();
      await shot(alice.page, testInfo, `voice-recording-${size.name}.png`);
      await expect(alice.page.getByTestId('voice-elapsed')).toHaveText('0:02', { timeout: 5000 });
      await alice.page.getByTestId('voice-send').click();
      await expect(alice.page.getByTestId('composer-input')).toBeVisible();
      const mine = alice.page.locator('[data-testid="message"][data-state="delivered"]').getByTestId('message-voice');
      // Stopped by the click a moment after 0:02 showed: on a busy machine that moment passed the next second once.
      await expect(mine.getByTestId('voice-duration')).toHaveText(/^0:0[23]$/);
      const duration = (await mine.getByTestId('voice-duration').textContent()) ?? '';
      await shot(alice.page, testInfo, `voice-sent-${size.name}.png`);

      await openChatWith(bob.page, 'Alice');
      const bobsVoice = bob.page.getByTestId('message-voice');
      await expect(bobsVoice.getByTestId('voice-duration')).toHaveText(duration);
      await bobsVoice.getByTestId('voice-play').click();
      await expect(bobsVoice.getByTestId('voice-play')).toHaveAttribute('aria-label', 'Pause voice message');
      // It plays to its end and is ready to play again.
      await expect(bobsVoice.getByTestId('voice-play')).toHaveAttribute('aria-label', 'Play voice message', { timeout: 10_000 });

      // Cancel records nothing.
      await alice.page.getByTestId('voice-button').click();
      await expect(alice.page.getByTestId('voice-elapsed')).toBeVisible();
      await alice.page.getByTestId('voice-cancel').click();
      await expect(alice.page.getByTestId('composer-input')).toBeVisible();
      await expect(alice.page.getByTestId('message-voice')).toHaveCount(1);

      await alice.context.close();
      await bob.context.close();
    });
  }

  test('a blocked microphone is said in words, and the box comes back', async ({ browser }) => {
    // The suite's own Chromium has no fake microphone: the browser refuses it.
    const alice = await personInNewContext(browser, 'Alice');
    const bob = await personInNewContext(browser, 'Bob');
    await befriend(alice, bob);
    await startDirectChat(alice.page, bob.person);
    await alice.page.getByTestId('voice-button').click();
    await expect(alice.page.getByTestId('voice-problem')).toHaveText(/microphone/i);
    await alice.page.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(alice.page.getByTestId('composer-input')).toBeVisible();
    await alice.context.close();
    await bob.context.close();
  });
});
