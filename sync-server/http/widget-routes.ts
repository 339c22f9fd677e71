/**
 * `/api/widget/*`: what the widget's iframe and launcher call. The iframe
 * authenticates with the visitor token it keeps in its own storage
 * (`Authorization: Bearer …`), never with a cookie; sync sockets get a
 * single-use ticket.
 */
import { Router, type Request, type Response } from 'express';
import { IdentifyRequest, SITE_KEY_PATTERN, WidgetSessionRequest } from '../../shared/widget.js';
import type { ServerContext } from '../context.js';
import type { UserRecord } from '../store/database.js';
import { publicConfig } from '../widget/site-config.js';
import { visitorSessionId } from '../widget/visitor-ids.js';
import { readCookie } from './cookies.js';
import { sendError, sendRateLimited } from './errors.js';
import { createOriginCheck } from './origin.js';
import { parseBody, respond } from './respond.js';

/**
 * The visitor token: from `Authorization: Bearer`, which the iframe sends
 * from its own storage, or else from a partitioned cookie (CHIPS), for
 * browsers that refuse storage to third-party frames but keep their
 * partitioned cookies.
 */
const VISITOR_COOKIE = 'hc_visitor';
const VISITOR_COOKIE_MAX_AGE_MS = 365 * 24 * 3600_000;

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return readCookie(req, VISITOR_COOKIE);
}

function setVisitorCookie(res: Response, token: string): void {
  // Partitioned by the host site, so no other site can ever see or send it.
  res.cookie(VISITOR_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'none',
    partitioned: true,
    path: '/api/widget',
    maxAge: VISITOR_COOKIE_MAX_AGE_MS,
  });
}

export function widgetRoutes(ctx: ServerContext): Router {
  const router = Router();
  const fromOurOwnPage = createOriginCheck(ctx.config.publicUrl);

  async function visitor(req: Request, res: Response): Promise<UserRecord | undefined> {
    const token = bearerToken(req);
    const guest = token ? await ctx.widget.visitors.guestForToken(token) : undefined;
    if (!guest) sendError(res, 401, 'unauthenticated');
    return guest;
  }

  /** Public look and feel for the launcher on the host page: readable cross-origin by the site's own origins only. */
  router.get('/widget/config', async (req, res) => {
    const key = typeof req.query.site === 'string' ? req.query.site : '';
    const site = SITE_KEY_PATTERN.test(key) ? await ctx.widget.siteStore.byKey(key) : undefined;
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (site && origin && site.origins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
    if (!site) return sendError(res, 404, 'not_found');
    res.json(publicConfig(site));
  });

  /**
   * Starts or resumes a visitor. Called by our iframe, so `Origin` is ours;
   * the host page's origin comes from the browser-verified `MessageEvent.origin`
   * and must be on the site's list (the frame itself only loads there: CSP frame-ancestors).
   */
  router.post('/widget/session', async (req, res) => {
    if (!fromOurOwnPage(req)) return sendError(res, 403, 'bad_origin');
    const body = parseBody(res, WidgetSessionRequest, req.body);
    if (!body) return;
    const site = await ctx.widget.siteStore.byKey(body.site);
    if (!site) return sendError(res, 404, 'not_found');
    if (!site.origins.includes(body.hostOrigin)) return sendError(res, 403, 'bad_origin', 'This site is not allowed to embed this chat.');
    const token = body.fresh ? undefined : bearerToken(req);
    const known = token ? await ctx.widget.visitors.tokenStatus(token, site.key) : 'unknown';
    // A blocked visitor does not get a fresh identity just by coming back with their old token.
    if (known === 'blocked') return sendError(res, 403, 'blocked');
    if (known !== 'valid') {
      for (const [limiter, key] of [
        [ctx.limits.visitorsPerAddress, req.socket.remoteAddress ?? 'unknown'],
        [ctx.limits.visitorsPerSite, site.key],
      ] as const) {
        const limit = limiter.consume(key);
        if (!limit.allowed) return sendRateLimited(res, limit.retryAfterSeconds);
      }
    }
    const session = await ctx.widget.visitors.startSession(site, known === 'valid' ? token : undefined);
    setVisitorCookie(res, session.token);
    res.json(session);
  });

  router.post('/widget/ticket', async (req, res) => {
    const guest = await visitor(req, res);
    if (!guest) return;
    res.status(201).json(ctx.widget.tickets.issue({ userId: guest.id, sessionId: visitorSessionId(guest.id) }));
  });

  router.post('/widget/identify', async (req, res) => {
    const guest = await visitor(req, res);
    if (!guest) return;
    const body = parseBody(res, IdentifyRequest, req.body);
    if (body) respond(res, await ctx.widget.visitors.identify(guest, body));
  });

  return router;
}
