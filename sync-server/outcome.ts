/**
 * Expected failures of a service call, as values: a service refuses with an
 * error code (each service names the codes it can give, a subset of the
 * shared `ErrorCode`) and knows nothing of HTTP. The routes send a refusal
 * with the status `http/error-status.ts` gives its code.
 */
import type { ErrorCode } from '../shared/api.js';

export interface Refusal<E extends ErrorCode = ErrorCode> {
  ok: false;
  error: E;
  /** For `rate_limited`: when to try again. */
  retryAfterSeconds?: number;
  /** Replaces the code's usual text when the case needs saying more precisely. */
  message?: string;
}

export type Outcome<T, E extends ErrorCode = ErrorCode> = { ok: true; value: T } | Refusal<E>;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function refuse<E extends ErrorCode>(error: E, message?: string): Refusal<E> {
  return message === undefined ? { ok: false, error } : { ok: false, error, message };
}

export function rateLimited(retryAfterSeconds: number): Refusal<'rate_limited'> {
  return { ok: false, error: 'rate_limited', retryAfterSeconds };
}
