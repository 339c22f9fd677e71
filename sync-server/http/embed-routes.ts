/**
 * The widget's two public faces: `/widget.js` (the loader host pages
 * import, so it is readable cross-origin) and `/embed?site=KEY` (the iframe,
 * which only the site's own origins may frame: CSP frame-ancestors).
 */
import { Router, static as serveStatic } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SITE_KEY_PATTERN } from '../../shared/widget.js';
import type { ServerContext } from '../context.js';
import { contentSecurityPolicy } from './security-headers.js';

export function embedRoutes(ctx: ServerContext): Router {
  const router = Router();
  const dir = ctx.config.clientDir;

  // A module script from another origin is fetched with CORS; the loader and its chunks hold no secrets.
  router.use(['/widget.js', '/assets/widget'], (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  router.get('/widget.js', serveStatic(dir, { index: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));

  router.get('/embed', async (req, res) => {
    const key = typeof req.query.site === 'string' ? req.query.site : '';
    const site = SITE_KEY_PATTERN.test(key) ? await ctx.widget.siteStore.byKey(key) : undefined;
    const page = path.join(dir, 'embed.html');
    if (!site || !existsSync(page)) {
      res.status(404).type('text').send(site ? 'The widget is not built.' : 'No such site.');
      return;
    }
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(site.origins.join(' ')));
    res.removeHeader('X-Frame-Options');
    // The frame is third-party on the host page; it must not expose its opener.
    res.removeHeader('Cross-Origin-Opener-Policy');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(page);
  });

  return router;
}
