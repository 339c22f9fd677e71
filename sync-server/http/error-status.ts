/**
 * The one place that says which HTTP status each error code is sent with.
 * Services refuse with codes (outcome.ts), routes send them with `sendError`
 * (errors.ts), which looks the status up here. A record over every code: a
 * new code does not compile until it has its status.
 */
import type { ErrorCode } from '../../shared/api.js';

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  // The request itself is wrong (mostly a body that fails its schema).
  invalid_request: 400,
  invalid_email: 400,
  password_too_short: 400,
  password_too_long: 400,
  password_too_weak: 400,
  name_required: 400,
  name_too_long: 400,
  title_required: 400,
  title_too_long: 400,
  text_too_long: 400,
  invalid_token: 400,
  cannot_chat_with_self: 400,
  cannot_befriend_self: 400,
  push_endpoint_not_allowed: 400,
  // Who you are.
  unauthenticated: 401,
  invalid_credentials: 401,
  // Known, but not allowed.
  forbidden: 403,
  bad_origin: 403,
  not_activated: 403,
  not_friends: 403,
  blocked: 403,
  cannot_remove_owner: 403,
  // Not 401: the session is fine, only the password typed to confirm was wrong.
  wrong_password: 403,
  // Nothing there (or nothing you may see).
  not_found: 404,
  user_not_found: 404,
  friend_not_found: 404,
  request_not_found: 404,
  conversation_not_found: 404,
  not_a_member: 404,
  invite_invalid: 404,
  session_not_found: 404,
  // In the way of the current state.
  email_taken: 409,
  already_friends: 409,
  request_pending: 409,
  already_a_member: 409,
  owner_cannot_leave: 409,
  member_limit: 409,
  group_limit: 409,
  // Was valid once.
  token_expired: 410,
  invite_expired: 410,
  removed_from_group: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  mail_unavailable: 503,
  storage_unavailable: 503,
};
