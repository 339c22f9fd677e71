/**
 * The widget's two public faces: `/widget.js` (the loader host pages
 * import, so it is readable cross-origin) and `/embed?site=KEY` (the iframe,
 * which only the site's own origins may frame: CSP frame-ancestors).
 */
import { Router, static as serveStatic } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SiteService } from '../widget/site-service.js';
import { contentSecurityPolicy } from './security-headers.js';

export interface EmbedRouteParts {
  sites: SiteService;
  /** The built client (vite's output). */
  clientDir: string;
}

export function embedRoutes({ sites, clientDir: dir }: EmbedRouteParts): Router {
  const router = Router();

  // A module script from another origin is fetched with CORS; the loader and its chunks hold no secrets.
  router.use(['/widget.js', '/assets/widget'], (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  router.get('/widget.js', serveStatic(dir, { index: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));

  router.get('/embed', async (req, res) => {
    const site = await sites.byKey(typeof req.query.site === 'string' ? req.query.site : '');
    const page = path.join(dir, 'embed.html');
    if (!site || !existsSync(page)) {
      res
        .status(404)
        .type('text')
        .send(site ? 'The widget is not built.' : 'No such site.');
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
