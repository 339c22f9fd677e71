/**
 * A shop's page on another origin (127.0.0.1 on a port of its own) with the
 * widget's one-line snippet pointing at a chat server, for the widget specs
 * that run their own server. `?site=` is the site's key, `?lang=` the page's
 * language (en or zh-CN), and `?policy=no-clipboard` forbids the clipboard
 * API to every frame, as a page's Permissions-Policy may. The page has a
 * button of its own (`#host-button`) to take the focus from the frame.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostSite {
  /** The page's origin, for the site's list of allowed origins. */
  origin: string;
  close(): Promise<void>;
}

export async function startHostSite(chatOrigin: string): Promise<HostSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const site = (url.searchParams.get('site') ?? '').replace(/[^a-z0-9]/g, '');
    const lang = url.searchParams.get('lang') === 'zh-CN' ? 'zh-CN' : 'en';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.searchParams.get('policy') === 'no-clipboard') res.setHeader('permissions-policy', 'clipboard-write=()');
    res.end(`<!doctype html><html lang="${lang}"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title></head><body><h1>The shop</h1>
      <button id="host-button">Add to cart</button>
      <script type="module" src="${chatOrigin}/widget.js" data-site="${site}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
