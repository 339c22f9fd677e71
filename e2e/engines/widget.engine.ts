/**
 * The widget on a foreign origin in Firefox and WebKit, with each engine's
 * default rules for third-party storage: the host page is on localhost, the
 * chat on 127.0.0.1 (another site). The visitor chats with the owner (a
 * Chromium peer in the main app) both ways; then the visitor reloads the
 * host page, and what the frame kept is what docs/CLIENT.md tells; last, a
 * message written with the server gone is delivered once it is back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SiteView } from '../../shared/widget.js';
import { api } from '../../sync-server/testing/api-call.js';
import { openEngine, type EnginePage } from './engine-browser.js';
import { chromiumPeer } from './engine-people.js';
import { expect, test, until } from './engine-test.js';

interface HostSite {
  origin: string;
  close(): Promise<void>;
}

/** A shop's page on another site, with the one-line snippet, under a strict Content-Security-Policy. */
async function startHostSite(chatOrigin: string): Promise<HostSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const site = (url.searchParams.get('site') ?? '').replace(/[^a-z0-9]/g, '');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader(
      'content-security-policy',
      `default-src 'none'; script-src ${chatOrigin}; connect-src ${chatOrigin}; frame-src ${chatOrigin}`,
    );
    res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body>
      <h1>The shop</h1>
      <script type="module" src="${chatOrigin}/widget.js" data-site="${site}"></script>
    </body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let page: EnginePage | undefined;
let host: HostSite | undefined;

test.afterEach(async () => {
  await page?.close();
  await host?.close();
  page = undefined;
  host = undefined;
});

const openLauncher = `
  const launcher = all('button.launcher')[0];
  if (!launcher) return false;
  if (launcher.getAttribute('aria-expanded') !== 'true') launcher.click();
  return all('iframe').length === 1;`;

test('a visitor on another site chats with the owner both ways, is kept across a reload, and writes with the server gone', async ({
  engine,
  server,
  browser,
}) => {
  host = await startHostSite(server.url);
  const owner = await chromiumPeer(browser, server, 'Owner');
  const created = await api<SiteView>(server, 'POST', '/api/sites', {
    cookie: owner.user.cookie,
    body: { name: 'Shop', origins: [host.origin], greeting: 'Welcome to the shop!' },
  });
  expect(created.status).toBe(201);
  const site = created.body.key;

  page = await openEngine(engine);
  await page.goto(`${host.origin}/?site=${site}`);
  await until(page, 'the launcher opens the frame', openLauncher);
  const frame = page.inFrame('/embed');
  await until(frame, 'the greeting shows', `return text(one('widget-greeting')) === 'Welcome to the shop!';`);
  await until(frame, 'the question is sent', `fill('widget-composer-input', 'Do you ship to Lyon?'); click('widget-send'); return true;`);
  await until(frame, 'the question is delivered', `return byTestId('widget-message').map((m) => m.dataset.state).join() === 'delivered';`);
  // The host page holds nothing of the visitor.
  expect(await page.run<number>(`return localStorage.length + document.cookie.length;`)).toBe(0);

  await owner.page.getByTestId('conversation-item').filter({ hasText: '· Shop' }).click();
  await expect(owner.page.getByTestId('message-text')).toHaveText(['Do you ship to Lyon?']);
  await owner.page.getByTestId('composer-input').fill('Yes, in two days.');
  await owner.page.getByTestId('composer-input').press('Enter');
  await until(
    frame,
    'the answer arrives',
    `return byTestId('widget-message-text').map(text).join('|') === 'Do you ship to Lyon?|Yes, in two days.';`,
  );

  await page.reload();
  await until(page, 'the launcher opens the frame again', openLauncher);
  // Both engines, by default, give a third-party frame storage of its own, partitioned by the top-level
  // site (Chromium here refuses it: see e2e/widget.spec.ts). The visitor is the same one, with their history.
  await until(
    frame,
    'the same visitor is back, with their history',
    `
    return one('widget-sync').dataset.status === 'online' && byTestId('widget-message-text').map(text).join('|') === 'Do you ship to Lyon?|Yes, in two days.';`,
  );

  // With the server gone the visitor's message waits in the frame's storage, and goes out once it is back.
  await server.stop();
  await until(frame, 'the widget knows it is offline', `return one('widget-sync').dataset.status !== 'online';`);
  await until(
    frame,
    'a message is written offline',
    `fill('widget-composer-input', 'Written in the tunnel'); click('widget-send'); return true;`,
  );
  await until(frame, 'it waits', `return byTestId('widget-message').map((m) => m.dataset.state).join() === 'delivered,delivered,pending';`);
  await server.start();
  await until(
    frame,
    'it is delivered',
    `return byTestId('widget-message').map((m) => m.dataset.state).join() === 'delivered,delivered,delivered';`,
    null,
    40_000,
  );
  await expect(owner.page.getByTestId('message-text')).toHaveText(['Do you ship to Lyon?', 'Yes, in two days.', 'Written in the tunnel'], {
    timeout: 30_000,
  });
  await owner.close();
});
