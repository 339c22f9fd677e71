/**
 * What a member may put in a conversation's `messages` map. The relay
 * enforces these rules on every update (sync-server/relay/trust/update-validator.ts);
 * the client runs the same checks before it writes, so an honest client never
 * sends what the relay would refuse. Pure: no node:*, no DOM.
 */
import {
  ATTACHMENT_NAME_MAX_LENGTH,
  ATTACHMENT_SIDE_MAX,
  ATTACHMENT_SIZE_MAX,
  MESSAGE_ATTACHMENTS_MAX,
  MESSAGE_TEXT_MAX_LENGTH,
  MESSAGE_TIME_MAX_MS,
  MESSAGE_TIME_MIN_MS,
  VOICE_MAX_DURATION_MS,
  VOICE_PEAK_MAX,
  VOICE_PEAKS_MAX,
} from './limits.js';
import { isValidMessageId } from './message-id.js';
import type { MessageRule, Refusal } from './refusals.js';
import { MESSAGE_KINDS, type MessageKind } from './schema.js';

const MESSAGE_FIELDS = new Set(['id', 'author', 'kind', 'text', 'createdAt', 'replyTo', 'attachments', 'editedAt', 'deleted', 'forwarded']);
const ATTACHMENT_FIELDS = new Set(['blobId', 'mime', 'width', 'height', 'name', 'size', 'durationMs', 'peaks']);
/** A recording may run a little past the recorder's limit before its timer stops it. */
const VOICE_DURATION_RULE_MS = VOICE_MAX_DURATION_MS + 10_000;
/** Blob ids are content hashes today; anything url- and path-safe of sane length is accepted. */
const BLOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const MIME_PATTERN = /^[a-z0-9][a-z0-9.+-]{0,62}\/[a-z0-9][a-z0-9.+-]{0,62}$/i;

/** Why a message is refused: a rule named in refusals.ts, always with a detail (the client shows it before sending). */
export type MessageRefusal = Required<Refusal<MessageRule>>;

function refuse(rule: MessageRule, detail: string): MessageRefusal {
  return { rule, detail };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function unknownField(value: Record<string, unknown>, known: ReadonlySet<string>): string | undefined {
  return Object.keys(value).find((key) => !known.has(key));
}

/**
 * Checks one message a member writes under `key`. `previous` is the entry it
 * replaces, if any: only its author may edit or delete a message (a delete is
 * the same message with `deleted: true` and no text). Returns null when the
 * write is allowed.
 */
export function checkMessage(key: string, value: unknown, userId: string, previous?: unknown): MessageRefusal | null {
  if (!isPlainObject(value)) return refuse('bad-message', 'a message is a plain object');
  const extra = unknownField(value, MESSAGE_FIELDS);
  if (extra !== undefined) return refuse('bad-message', `unknown field "${extra.slice(0, 40)}"`);
  if (typeof value.id !== 'string' || !isValidMessageId(value.id)) return refuse('message-id', 'the id is not a message id');
  if (value.id !== key) return refuse('message-id', 'the key is not the message id');
  if (value.author !== userId) return refuse('forged-author', 'the author is not the writer');
  if (previous !== undefined && (!isPlainObject(previous) || previous.author !== userId)) {
    return refuse('not-your-message', "only a message's author may edit or delete it");
  }
  if (!MESSAGE_KINDS.includes(value.kind as MessageKind)) return refuse('bad-message', 'unknown kind');
  if (value.kind === 'system') return refuse('system-kind', 'system messages are written by the server');
  if (typeof value.text !== 'string') return refuse('bad-message', 'the text is not a string');
  if (value.text.length > MESSAGE_TEXT_MAX_LENGTH) return refuse('message-too-long', `more than ${MESSAGE_TEXT_MAX_LENGTH} characters`);
  if (!isMessageTime(value.createdAt)) return refuse('bad-time', 'createdAt is not a whole millisecond between 2000 and 2100');
  if (value.editedAt !== undefined && !isMessageTime(value.editedAt)) {
    return refuse('bad-time', 'editedAt is not a whole millisecond between 2000 and 2100');
  }
  if (value.replyTo !== undefined && (typeof value.replyTo !== 'string' || !isValidMessageId(value.replyTo))) {
    return refuse('bad-message', 'replyTo is not a message id');
  }
  if (value.deleted !== undefined && typeof value.deleted !== 'boolean') return refuse('bad-message', 'deleted is not a boolean');
  if (value.forwarded !== undefined && value.forwarded !== true) return refuse('bad-message', 'forwarded is `true` or absent');
  if (value.attachments !== undefined) {
    const problem = attachmentsProblem(value.attachments);
    if (problem) return refuse('bad-attachment', problem);
  }
  if ((value.kind === 'file' || value.kind === 'voice') && value.deleted !== true) {
    const problem = singleAttachmentProblem(value.kind, value.attachments);
    if (problem) return refuse('bad-attachment', problem);
  }
  if (value.deleted === true && (value.text !== '' || (Array.isArray(value.attachments) && value.attachments.length > 0))) {
    // A delete must really remove the content from every replica.
    return refuse('bad-message', 'a deleted message keeps no text or attachments');
  }
  return null;
}

/**
 * Checks that a member may remove the entry `key` of `messages` (the delete
 * set of an update, or an entry replaced by a deleted item): only the author.
 */
export function checkMessageRemoval(key: string, previous: unknown, userId: string): MessageRefusal | null {
  if (!isValidMessageId(key)) return refuse('message-id', 'the key is not a message id');
  if (previous === undefined) return null;
  if (!isPlainObject(previous) || previous.author !== userId) {
    return refuse('not-your-message', "only a message's author may delete it");
  }
  return null;
}

function attachmentsProblem(attachments: unknown): string | null {
  if (!Array.isArray(attachments)) return 'attachments is not a list';
  if (attachments.length > MESSAGE_ATTACHMENTS_MAX) return `more than ${MESSAGE_ATTACHMENTS_MAX} attachments`;
  for (const attachment of attachments) {
    if (!isPlainObject(attachment)) return 'an attachment is not an object';
    const extra = unknownField(attachment, ATTACHMENT_FIELDS);
    if (extra !== undefined) return `unknown attachment field "${extra.slice(0, 40)}"`;
    if (typeof attachment.blobId !== 'string' || !BLOB_ID_PATTERN.test(attachment.blobId)) return 'bad blobId';
    if (typeof attachment.mime !== 'string' || !MIME_PATTERN.test(attachment.mime)) return 'bad mime type';
    for (const side of ['width', 'height'] as const) {
      const size = attachment[side];
      if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 0 && (size as number) <= ATTACHMENT_SIDE_MAX)) {
        return `bad ${side}`;
      }
    }
    if (attachment.name !== undefined && (typeof attachment.name !== 'string' || attachment.name.length > ATTACHMENT_NAME_MAX_LENGTH)) {
      return 'bad name';
    }
    if (attachment.size !== undefined && !isWholeUpTo(attachment.size, ATTACHMENT_SIZE_MAX)) return 'bad size';
    if (attachment.durationMs !== undefined && !isWholeUpTo(attachment.durationMs, VOICE_DURATION_RULE_MS)) return 'bad durationMs';
    if (attachment.peaks !== undefined) {
      const peaks = attachment.peaks;
      if (!Array.isArray(peaks) || peaks.length > VOICE_PEAKS_MAX || !peaks.every((peak) => isWholeUpTo(peak, VOICE_PEAK_MAX))) {
        return 'bad peaks';
      }
    }
  }
  return null;
}

/** A file message carries one named file with its size; a voice message one audio recording with its length. */
function singleAttachmentProblem(kind: 'file' | 'voice', attachments: unknown): string | null {
  if (!Array.isArray(attachments) || attachments.length !== 1) return `a ${kind} message carries exactly one attachment`;
  const [attachment] = attachments as Record<string, unknown>[];
  if (attachment.size === undefined) return `a ${kind} needs its size`;
  if (kind === 'file' && (typeof attachment.name !== 'string' || attachment.name.trim() === '')) return 'a file needs its name';
  if (kind === 'voice') {
    if (!String(attachment.mime).startsWith('audio/')) return 'a voice message is audio';
    if (attachment.durationMs === undefined) return 'a voice message needs its length';
  }
  return null;
}

function isWholeUpTo(value: unknown, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max;
}

/**
 * The nearest time a message may carry to `ms` (a device clock): a device
 * whose clock is far off still sends, with a time at the edge of the range.
 */
export function clampMessageTime(ms: number): number {
  if (!Number.isFinite(ms)) return MESSAGE_TIME_MIN_MS;
  return Math.min(Math.max(Math.floor(ms), MESSAGE_TIME_MIN_MS), MESSAGE_TIME_MAX_MS - 1);
}

/**
 * Whether `value` is a time a message may carry: whole milliseconds from
 * MESSAGE_TIME_MIN_MS (incl.) to MESSAGE_TIME_MAX_MS (excl.), so it always
 * makes a valid `Date`. Renderers use it too: old documents may hold times
 * written before this rule.
 */
export function isMessageTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= MESSAGE_TIME_MIN_MS && (value as number) < MESSAGE_TIME_MAX_MS;
}
