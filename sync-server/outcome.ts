/** Expected failures of a service call, as values the route turns into responses. */
import type { ErrorCode } from '../shared/api.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; error: ErrorCode };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refuse<T = never>(status: number, error: ErrorCode): Outcome<T> {
  return { ok: false, status, error };
}
