/** Resolves the session cookie; routes behind `requireSession` see `res.locals.user`. */
import type { RequestHandler, Response } from 'express';
import type { SessionRecord, UserRecord } from '../store/database.js';
import type { ServerContext } from '../context.js';
import { readCookie, SESSION_COOKIE, setSessionCookie } from './cookies.js';
import { sendError } from './errors.js';

export interface SignedIn {
  user: UserRecord;
  session: SessionRecord;
}

export function signedIn(res: Response): SignedIn {
  return res.locals.signedIn as SignedIn;
}

export function requireSession(ctx: ServerContext): RequestHandler {
  const secure = ctx.config.publicUrl.startsWith('https:');
  return (req, res, next) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) {
      sendError(res, 401, 'unauthenticated');
      return;
    }
    ctx.sessions.validate(token, { reissueLegacy: true }).then((valid) => {
      if (!valid) {
        sendError(res, 401, 'unauthenticated');
        return;
      }
      // Sliding expiry: the browser's cookie moves with the stored session (and an old-format token is replaced).
      if (valid.cookie) setSessionCookie(res, valid.cookie, secure);
      res.locals.signedIn = { user: valid.user, session: valid.session } satisfies SignedIn;
      next();
    }, next);
  };
}
