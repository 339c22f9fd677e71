/** Turns a service outcome into a response. */
import type { Response } from 'express';
import type { z } from 'zod';
import { errorCodeOf, type ErrorCode } from '../../shared/api.js';
import type { Outcome } from '../outcome.js';
import { sendError, sendRefusal } from './errors.js';

export function respond<T>(res: Response, outcome: Outcome<T, ErrorCode>, successStatus = 200): void {
  if (!outcome.ok) return sendRefusal(res, outcome);
  if (outcome.value === null) {
    res.status(204).end();
    return;
  }
  res.status(successStatus).json(outcome.value);
}

/** Parses a body with a shared schema; on failure answers with the schema's error code and returns undefined. */
export function parseBody<S extends z.ZodType>(res: Response, schema: S, body: unknown): z.infer<S> | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  sendError(res, errorCodeOf(parsed.error));
  return undefined;
}
