/** The express application: JSON API under /api, the built client for everything else. */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MAX_JSON_BODY } from '../../shared/limits.js';
import type { ServerContext } from '../context.js';
import { accountRoutes } from './account-routes.js';
import { authRoutes } from './auth-routes.js';
import { conversationRoutes } from './conversation-routes.js';
import { friendRoutes } from './friend-routes.js';
import { pictureRoutes } from './picture-routes.js';
import { fileRoutes } from './file-routes.js';
import { profileRoutes } from './profile-routes.js';
import { pushRoutes } from './push-routes.js';
import { presenceRoutes } from './presence-routes.js';
import { searchRoutes } from './search-routes.js';
import { siteRoutes } from './site-routes.js';
import { widgetRoutes } from './widget-routes.js';
import { embedRoutes } from './embed-routes.js';
import { sendError } from './errors.js';
import { createOriginCheck } from './origin.js';
import { requireSession } from './require-session.js';
import { securityHeaders } from './security-headers.js';
import { isStorageFailure } from '../store/store-health.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The HTTP side's composition root: each router gets the services it uses, nothing else. */
export function createApp(ctx: ServerContext): express.Express {
  const app = express();
  const secure = ctx.config.publicUrl.startsWith('https:');
  app.disable('x-powered-by');
  app.use(securityHeaders({ https: secure }));

  const api = express.Router();
  const originAllowed = createOriginCheck(ctx.config.publicUrl);
  const checkOrigin: RequestHandler = (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || originAllowed(req)) return next();
    sendError(res, 'bad_origin');
  };
  api.use(checkOrigin);
  api.use(express.json({ limit: MAX_JSON_BODY }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // For supervisors and load balancers: 503 while the store refuses writes (full disk), with since when and why.
  api.get('/health', (_req, res) => {
    const store = ctx.db.health.status;
    const healthy = store.state === 'healthy';
    res
      .status(healthy ? 200 : 503)
      .json({ ok: healthy, store: store.state, ...(healthy ? {} : { since: store.since, error: store.error }) });
  });
  const session = requireSession(ctx.sessions, secure);
  const { sites, visitors, tickets } = ctx.widget;
  api.use(authRoutes({ accounts: ctx.accounts, requireSession: session, secure }));
  api.use(accountRoutes({ settings: ctx.accountSettings, deletion: ctx.accountDeletion, requireSession: session, secureCookies: secure }));
  api.use(pictureRoutes({ requireSession: session, pictures: ctx.pictures, uploadMaxBytes: ctx.config.uploadMaxBytes }));
  api.use(
    fileRoutes({
      requireSession: session,
      files: ctx.files,
      fileUploadMaxBytes: ctx.config.fileUploadMaxBytes,
      pictureUploadMaxBytes: ctx.config.uploadMaxBytes,
    }),
  );
  api.use(conversationRoutes({ requireSession: session, conversations: ctx.conversations, groups: ctx.groups, invites: ctx.invites }));
  api.use(friendRoutes({ requireSession: session, friends: ctx.friends }));
  api.use(profileRoutes({ requireSession: session, profiles: ctx.profiles }));
  api.use(siteRoutes({ requireSession: session, sites, visitors }));
  api.use(
    widgetRoutes({
      sites,
      visitors,
      tickets,
      pictures: ctx.pictures,
      files: ctx.files,
      uploadMaxBytes: ctx.config.uploadMaxBytes,
      fileUploadMaxBytes: ctx.config.fileUploadMaxBytes,
      publicUrl: ctx.config.publicUrl,
    }),
  );
  api.use(pushRoutes({ requireSession: session, push: ctx.push, config: ctx.config, conversations: ctx.conversations }));
  api.use(searchRoutes({ requireSession: session, search: ctx.search }));
  api.use(presenceRoutes({ requireSession: session, presence: ctx.presence.service }));
  api.use((_req, res) => sendError(res, 'not_found'));
  api.use(apiErrorHandler(ctx));
  app.use('/api', api);

  app.use(embedRoutes({ sites, clientDir: ctx.config.clientDir }));
  serveClient(app, ctx);
  return app;
}

function apiErrorHandler(ctx: ServerContext): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, req, res, _next) => {
    if (error.type === 'entity.parse.failed') return sendError(res, 'invalid_request', 'The body is not valid JSON.');
    if (error.type === 'entity.too.large') return sendError(res, 'payload_too_large');
    if (isStorageFailure(error)) {
      // Expected while the disk is full; the store logs the failure itself, once.
      res.setHeader('Retry-After', '5');
      return sendError(res, 'storage_unavailable');
    }
    ctx.config.log.error('request failed', { method: req.method, url: req.originalUrl, error: String(error) });
    sendError(res, 'internal_error');
  };
}

/** Static files from the vite build; any other page path gets the app's index.html. */
function serveClient(app: express.Express, ctx: ServerContext): void {
  const dir = ctx.config.clientDir;
  const index = path.join(dir, 'index.html');
  app.use(
    express.static(dir, {
      index: false,
      setHeaders(res, file) {
        // Hashed assets never change; the shell, manifest and service worker must be revalidated.
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.get('/{*splat}', (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text').send('The client is not built. Run `npm start` (it builds it) or `npm run build`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
