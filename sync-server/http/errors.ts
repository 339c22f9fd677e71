/** Expected failures as JSON `{error, message}` with the right status. */
import type { Response } from 'express';
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/api.js';

export function sendError(res: Response, status: number, code: ErrorCode, message: string = ERROR_MESSAGES[code]): void {
  res.status(status).json({ error: code, message });
}

export function sendRateLimited(res: Response, retryAfterSeconds: number): void {
  res.setHeader('Retry-After', String(Math.max(1, retryAfterSeconds)));
  sendError(res, 429, 'rate_limited');
}
