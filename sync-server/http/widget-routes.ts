/**
 * `/api/widget/*`: what the widget's iframe and launcher call. The iframe
 * authenticates with the visitor token it keeps in its own storage
 * (`Authorization: Bearer …`), never with a cookie; sync sockets get a
 * single-use ticket.
 */
import express, { Router, type Request, type Response } from 'express';
import type { PictureService } from '../blobs/picture-service.js';
import { IdentifyRequest, WidgetSessionRequest } from '../../shared/widget.js';
import type { UserRecord } from '../store/database.js';
import { publicConfig } from '../widget/site-config.js';
import type { SiteService } from '../widget/site-service.js';
import type { SyncTickets } from '../widget/sync-tickets.js';
import { visitorSessionId, widgetConversationId } from '../widget/visitor-ids.js';
import type { VisitorService } from '../widget/visitor-service.js';
import { readCookie } from './cookies.js';
import { sendError } from './errors.js';
import { createOriginCheck } from './origin.js';
import { bytesOf, downloadNameOf, sendBlob } from './picture-routes.js';
import { declaredOf, fileBody } from './file-routes.js';
import type { FileService } from '../blobs/file-service.js';
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

export interface WidgetRouteParts {
  sites: SiteService;
  visitors: VisitorService;
  tickets: SyncTickets;
  /** Pictures in the visitor's conversation, under the same rules and limits as the app's (issue 15). */
  pictures: PictureService;
  /** Files and voice messages in the visitor's conversation, likewise. */
  files: FileService;
  uploadMaxBytes: number;
  fileUploadMaxBytes: number;
  publicUrl: string;
}

export function widgetRoutes(parts: WidgetRouteParts): Router {
  const { sites, visitors, tickets, pictures, files, uploadMaxBytes, fileUploadMaxBytes, publicUrl } = parts;
  const router = Router();
  const fromOurOwnPage = createOriginCheck(publicUrl);

  async function visitor(req: Request, res: Response): Promise<UserRecord | undefined> {
    const token = bearerToken(req);
    const guest = token ? await visitors.guestForToken(token) : undefined;
    if (!guest) sendError(res, 'unauthenticated');
    return guest;
  }

  /** Public look and feel for the launcher on the host page: readable cross-origin by the site's own origins only. */
  router.get('/widget/config', async (req, res) => {
    const site = await sites.byKey(typeof req.query.site === 'string' ? req.query.site : '');
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (site && origin && site.origins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
    if (!site) return sendError(res, 'not_found');
    res.json(publicConfig(site));
  });

  /**
   * Starts or resumes a visitor. Called by our iframe, so `Origin` is ours;
   * the host page's origin comes from the browser-verified `MessageEvent.origin`
   * and must be on the site's list (the frame itself only loads there: CSP frame-ancestors).
   */
  router.post('/widget/session', async (req, res) => {
    if (!fromOurOwnPage(req)) return sendError(res, 'bad_origin');
    const body = parseBody(res, WidgetSessionRequest, req.body);
    if (!body) return;
    const token = body.fresh ? undefined : bearerToken(req);
    const session = await visitors.arrive(body.site, body.hostOrigin, token, req.socket.remoteAddress ?? 'unknown');
    if (session.ok) setVisitorCookie(res, session.value.token);
    respond(res, session);
  });

  router.post('/widget/ticket', async (req, res) => {
    const guest = await visitor(req, res);
    if (!guest) return;
    res.status(201).json(await tickets.issue({ userId: guest.id, sessionId: visitorSessionId(guest.id) }));
  });

  /**
   * A picture for the visitor: the app's `/api/blobs/:id` wants a session
   * cookie, which a third-party frame does not send, so the visitor shows
   * their token instead. Members only, as there: a picture sent in their conversation, or their own.
   */
  router.get('/widget/pictures/:id', async (req, res) => {
    const guest = await visitor(req, res);
    if (guest) sendBlob(res, await pictures.fetch(guest, String(req.params.id)), downloadNameOf(req));
  });

  /** The visitor sends a picture into their conversation (same types, sizes and rate limit as the app). */
  router.post('/widget/pictures', express.raw({ type: () => true, limit: uploadMaxBytes }), async (req, res) => {
    const guest = await visitor(req, res);
    if (guest) respond(res, await pictures.addToConversation(guest, widgetConversationId(guest.id), bytesOf(req)), 201);
  });

  /** The visitor sends a file or a voice message into their conversation (same size limit and rate as the app). */
  router.post('/widget/files', fileBody(fileUploadMaxBytes), async (req, res) => {
    const guest = await visitor(req, res);
    if (guest) respond(res, await files.addToConversation(guest, widgetConversationId(guest.id), bytesOf(req), declaredOf(req)), 201);
  });

  router.post('/widget/identify', async (req, res) => {
    const guest = await visitor(req, res);
    if (!guest) return;
    const body = parseBody(res, IdentifyRequest, req.body);
    if (body) respond(res, await visitors.identify(guest, body));
  });

  return router;
}
