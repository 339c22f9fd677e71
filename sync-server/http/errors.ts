/** Expected failures as JSON `{error, message}`, with the status `error-status.ts` gives the code. */
import type { Response } from 'express';
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/api.js';
import type { Refusal } from '../outcome.js';
import { HTTP_STATUS_OF } from './error-status.js';

export function sendError(res: Response, code: ErrorCode, message: string = ERROR_MESSAGES[code]): void {
  res.status(HTTP_STATUS_OF[code]).json({ error: code, message });
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
