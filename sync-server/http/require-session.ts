/** Resolves the session cookie; routes behind `requireSession` see `res.locals.user`. */
import type { RequestHandler, Response } from 'express';
import type { SessionRecord, UserRecord } from '../store/database.js';
import type { SessionStore } from '../auth/session.js';
import { readCookie, SESSION_COOKIE, setSessionCookie } from './cookies.js';
import { sendError } from './errors.js';

export interface SignedIn {
  user: UserRecord;
  session: SessionRecord;
}

export function signedIn(res: Response): SignedIn {
  return res.locals.signedIn as SignedIn;
}

/** `secure`: the cookie is `Secure` (the server is reached over https). */
export function requireSession(sessions: SessionStore, secure: boolean): RequestHandler {
  return (req, res, next) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) {
      sendError(res, 'unauthenticated');
      return;
    }
    sessions.validate(token, { reissueLegacy: true }).then((valid) => {
      if (!valid) {
        sendError(res, 'unauthenticated');
        return;
      }
      // Sliding expiry: the browser's cookie moves with the stored session (and an old-format token is replaced).
      if (valid.cookie) setSessionCookie(res, valid.cookie, secure);
      res.locals.signedIn = { user: valid.user, session: valid.session } satisfies SignedIn;
      next();
    }, next);
  };
}
