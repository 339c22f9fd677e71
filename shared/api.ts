/**
 * The HTTP API contract (docs/API.md): request schemas, response shapes and
 * error codes, shared so the client validates forms with the server's rules.
 */
import { z } from 'zod';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './limits.js';
import type { ConversationKind } from './schema.js';

/**
 * `GET /api/upload-limits`: the sizes this server takes (UPLOAD_MAX_BYTES,
 * FILE_UPLOAD_MAX_BYTES), so the app refuses a larger file before it sends
 * or queues it. Not secret: no session needed.
 */
export interface UploadLimits {
  /** Largest file or voice message, in bytes. */
  fileMaxBytes: number;
  /** Largest picture, in bytes (the app scales pictures down before it sends them). */
  pictureMaxBytes: number;
}

/** Every error response body. */
export interface ApiError {
  error: ErrorCode;
  message: string;
}

export type ErrorCode =
  | 'invalid_request'
  | 'invalid_email'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_too_weak'
  | 'name_required'
  | 'name_too_long'
  | 'email_taken'
  | 'invalid_credentials'
  | 'not_activated'
  | 'invalid_token'
  | 'token_expired'
  | 'unauthenticated'
  | 'forbidden'
  | 'bad_origin'
  | 'not_found'
  | 'user_not_found'
  | 'cannot_chat_with_self'
  | 'rate_limited'
  | 'internal_error'
  | 'mail_unavailable'
  | 'storage_unavailable'
  | 'not_friends'
  | 'friend_not_found'
  | 'already_friends'
  | 'request_pending'
  | 'request_not_found'
  | 'cannot_befriend_self'
  | 'blocked'
  | 'conversation_not_found'
  | 'not_a_member'
  | 'already_a_member'
  | 'owner_cannot_leave'
  | 'cannot_remove_owner'
  | 'member_limit'
  | 'group_limit'
  | 'invite_invalid'
  | 'invite_expired'
  | 'removed_from_group'
  | 'title_required'
  | 'title_too_long'
  | 'text_too_long'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'push_endpoint_not_allowed'
  | 'wrong_password'
  | 'session_not_found';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX_LENGTH, { message: 'invalid_email' })
  // Deliberately simple: one @, something on both sides, a dot in the domain, no spaces.
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'invalid_email' });

const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: 'password_too_short' })
  .max(PASSWORD_MAX_LENGTH, { message: 'password_too_long' });

const name = z.string().trim().min(1, { message: 'name_required' }).max(NAME_MAX_LENGTH, { message: 'name_too_long' });

/** An invite link's code (`/join/<code>`): the server's random token, lower-case base32. */
export const InviteCode = z.string().regex(/^[a-z2-7]{16,64}$/);

/** `invite`: the group invite the person signed up from; the activation link leads back to it (issue 15). */
export const RegisterRequest = z.object({ name, email, password, invite: InviteCode.optional() });
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.object({ email, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const TokenRequest = z.object({ token: z.string().min(1).max(200) });
export const ResendRequest = z.object({ email });
export const ResetRequest = z.object({ email });
export const NewPasswordRequest = z.object({ token: z.string().min(1).max(200), password });

/** Account settings (issue 15): a new password needs the current one; the new one meets the registration rules. */
export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH), password });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** A new email address for my account; the confirmation link goes to it (account settings). */
export const ChangeEmailRequest = z.object({ email, currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
/** Deleting my account (issue 15): the current password again, so a session left open cannot do it. */
export const DeleteAccountRequest = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export type ChangeEmailRequest = z.infer<typeof ChangeEmailRequest>;

/** One of my sessions, as listed in account settings (`GET /api/account/sessions`). */
export interface SessionView {
  id: string;
  /** What it was signed in with ("Chrome on Windows"); absent for sessions from before the list existed. */
  device?: string;
  createdAt?: number;
  /** To within a few minutes (sync-server/auth/session.ts SESSION_LAST_USE_STEP_MS). */
  lastUsedAt?: number;
  /** The session this request came with. */
  current: boolean;
}

export interface SessionList {
  sessions: SessionView[];
}

export const CreateConversationRequest = z.object({ kind: z.literal('direct'), email });
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;

export interface Me {
  id: string;
  name: string;
  email: string;
}

export interface ConversationMemberView {
  id: string;
  name: string;
}

export interface ConversationView {
  id: string;
  kind: ConversationKind;
  title: string;
  members: ConversationMemberView[];
  createdAt: number;
}

/** Human text for each error code, used by the server and shown by the client. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  invalid_email: 'Please enter a valid email address.',
  password_too_short: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
  password_too_long: `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
  password_too_weak: 'This password is too easy to guess. Add more words that are less common.',
  name_required: 'Please enter your name.',
  name_too_long: `The name must have at most ${NAME_MAX_LENGTH} characters.`,
  email_taken: 'An account with this email already exists.',
  invalid_credentials: 'Wrong email or password.',
  not_activated: 'This account is not activated yet. Check your mail for the activation link.',
  invalid_token: 'This link is not valid or has already been used.',
  token_expired: 'This link has expired. Ask for a new one.',
  unauthenticated: 'Please sign in.',
  forbidden: 'You are not allowed to do that.',
  bad_origin: 'This request came from another site and was refused.',
  not_found: 'Not found.',
  user_not_found: 'No activated account has this email.',
  cannot_chat_with_self: 'You cannot start a conversation with yourself.',
  rate_limited: 'Too many attempts. Please wait and try again.',
  internal_error: 'Something went wrong on the server.',
  mail_unavailable: 'The mail could not be sent. Please try again later.',
  storage_unavailable: 'The server is out of space or its storage failed. Nothing you sent was lost; try again in a moment.',
  not_friends: 'You can only chat one-to-one with your friends. Send a friend request first.',
  friend_not_found: 'This person is not your friend (any more).',
  already_friends: 'You are already friends.',
  request_pending: 'A friend request is already waiting.',
  request_not_found: 'This friend request does not exist any more.',
  cannot_befriend_self: 'You cannot send yourself a friend request.',
  blocked: 'You cannot contact this person.',
  conversation_not_found: 'This conversation does not exist or you are not in it.',
  not_a_member: 'This person is not a member of the conversation.',
  already_a_member: 'This person is already a member.',
  owner_cannot_leave: 'Hand the group over to another member, or disband it, before leaving.',
  cannot_remove_owner: "The group's owner cannot be removed.",
  member_limit: 'This group is full.',
  group_limit: 'This person is in too many groups already.',
  invite_invalid: 'This invite link is not valid any more.',
  invite_expired: 'This invite link has expired.',
  removed_from_group: 'You were removed from this group. Ask its owner or an admin for a new invite link.',
  title_required: 'Please give the group a name.',
  title_too_long: `A group name can have at most ${NAME_MAX_LENGTH} characters.`,
  text_too_long: 'The text is too long.',
  unsupported_media_type: 'Only PNG, JPEG, GIF and WebP pictures can be uploaded.',
  payload_too_large: 'The file is too large.',
  push_endpoint_not_allowed: 'This browser push service is not one the server sends to.',
  wrong_password: 'Your current password is not right.',
  session_not_found: 'This session has ended already.',
};

const KNOWN_CODES = new Set(Object.keys(ERROR_MESSAGES));

/** Maps a zod failure to our first error code (the schema's messages are codes). */
export function errorCodeOf(error: z.ZodError): ErrorCode {
  const first = error.issues[0]?.message;
  return first && KNOWN_CODES.has(first) ? (first as ErrorCode) : 'invalid_request';
}
