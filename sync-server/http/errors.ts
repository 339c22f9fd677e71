/**
 * Expected failures as JSON `{error, message}`, with the status `error-status.ts` gives the code
 * and the message in the request's language (`Accept-Language`, see sync-server/i18n/).
 */
import type { Response } from 'express';
import type { ErrorCode } from '../../shared/api.js';
import { refusalText } from '../i18n/error-texts.js';
import { localeOfAcceptLanguage } from '../i18n/request-locale.js';
import type { Refusal } from '../outcome.js';
import { HTTP_STATUS_OF } from './error-status.js';

/** `detail`: a more precise English text than the code's; readers of other languages get the code's text in theirs. */
export function sendError(res: Response, code: ErrorCode, detail?: string): void {
  const locale = localeOfAcceptLanguage(res.req?.headers['accept-language']);
  res.status(HTTP_STATUS_OF[code]).json({ error: code, message: refusalText(code, locale, detail) });
}

export function sendRateLimited(res: Response, retryAfterSeconds: number): void {
  res.setHeader('Retry-After', String(Math.max(1, retryAfterSeconds)));
  sendError(res, 'rate_limited');
}

/** A service's refusal: its code, and `Retry-After` when it says when to try again. */
export function sendRefusal(res: Response, refusal: Refusal): void {
  if (refusal.retryAfterSeconds !== undefined) return sendRateLimited(res, refusal.retryAfterSeconds);
  sendError(res, refusal.error, refusal.message);
}
