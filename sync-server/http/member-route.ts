/**
 * Route handlers for "the signed-in member asks a service for something": they take the member from
 * the session (the route sits behind `requireSession`), parse the body with its shared schema where
 * there is one, and answer with the service's outcome. One place for what every member route did by hand.
 */
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/api.js';
import type { Outcome } from '../outcome.js';
import type { UserRecord } from '../store/database.js';
import { signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

type Params = Record<string, string>;
type Answer<T> = Promise<Outcome<T, ErrorCode>>;

/** `act(me, params)` answers the request; `successStatus` is used when it succeeds with a value. */
export function forMember<T>(act: (me: UserRecord, params: Params) => Answer<T>, successStatus = 200): RequestHandler {
  return async (req, res) => {
    respond(res, await act(signedIn(res).user, req.params as Params), successStatus);
  };
}

/** As `forMember`, after the body parsed with `schema` (a bad body gets the schema's error code, and `act` is not called). */
export function forMemberWithBody<S extends z.ZodType, T>(
  schema: S,
  act: (me: UserRecord, body: z.infer<S>, params: Params) => Answer<T>,
  successStatus = 200,
): RequestHandler {
  return async (req, res) => {
    const body = parseBody(res, schema, req.body);
    if (body) respond(res, await act(signedIn(res).user, body, req.params as Params), successStatus);
  };
}
