/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/, Secure on https; beside
 * it the page's readable marker that a session cookie is there (SIGNED_IN_COOKIE).
 */
import type { IncomingMessage } from 'node:http';
import type { Response } from 'express';
import { SESSION_TTL_MS } from '../../shared/limits.js';
import { SIGNED_IN_COOKIE } from '../../shared/protocol.js';

export const SESSION_COOKIE = 'hc_session';

export function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function setSessionCookie(res: Response, token: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: SESSION_TTL_MS });
  res.cookie(SIGNED_IN_COOKIE, '1', { sameSite: 'lax', path: '/', secure, maxAge: SESSION_TTL_MS });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure });
  res.clearCookie(SIGNED_IN_COOKIE, { sameSite: 'lax', path: '/', secure });
}
