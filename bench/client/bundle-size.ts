/**
 * Sizes of the built app shell, gzip (level 9, as a server would send it):
 * what index.html loads before the first render, every JS and CSS file the
 * service worker precaches, and the service worker itself.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSizes {
  /** JS that index.html loads at once (entry script and module preloads). */
  initialJsGzip: number;
  /** Every JS file of the app (lazy chunks included), without the service worker. */
  allJsGzip: number;
  /** CSS files (Lit keeps component styles in JS; index.html inlines the page's few rules). */
  cssGzip: number;
  htmlGzip: number;
  serviceWorkerGzip: number;
  files: Record<string, { bytes: number; gzip: number }>;
}

export async function measureBundle(dir: string): Promise<BundleSizes> {
  const files: BundleSizes['files'] = {};
  for (const name of await listFiles(dir)) {
    if (!/\.(js|css|html)$/.test(name)) continue;
    const content = await readFile(path.join(dir, name));
    files[name] = { bytes: content.byteLength, gzip: gzipSync(content, { level: 9 }).byteLength };
  }
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const sum = (names: string[]) => names.reduce((total, name) => total + (files[name]?.gzip ?? 0), 0);
  const names = Object.keys(files);
  return {
    initialJsGzip: sum(initial),
    allJsGzip: sum(names.filter((n) => n.endsWith('.js') && n !== 'sw.js')),
    cssGzip: sum(names.filter((n) => n.endsWith('.css'))),
    htmlGzip: sum(names.filter((n) => n.endsWith('.html'))),
    serviceWorkerGzip: files['sw.js']?.gzip ?? 0,
    files,
  };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const name = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(dir, name)));
    else out.push(name);
  }
  return out;
}
