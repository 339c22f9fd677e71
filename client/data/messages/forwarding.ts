/**
 * Forwarding a message into other conversations (issue 15): each copy is a
 * new message by the forwarder, marked `forwarded`, with the original's text
 * and attachments and nothing else (no reply, no edit mark, and not the
 * original author's name: shared/schema.ts says why). Text goes through the
 * local document like any message, so it forwards offline too. A picture or
 * file is members-only on the server: before the copy is written, the
 * server is asked to share the blob with the target conversation
 * (`POST /api/conversations/:id/forwarded-blobs`), which it allows only to
 * a member of the target who may read it. That needs the network, so a
 * message with attachments is refused offline with a clear reason.
 */
import { msg } from '@lit/localize';
import { newMessageId } from '../../../shared/message-id.js';
import { checkMessage, clampMessageTime } from '../../../shared/message-rules.js';
import type { Message } from '../../../shared/schema.js';
import { api, type ApiResult } from '../api/api-client.js';

export type ForwardResult = { ok: true; message: Message } | { ok: false; reason: string };

/** Whether a message can be forwarded at all: not a system message, not deleted, not still uploading. */
export function isForwardable(message: Message): boolean {
  return message.kind !== 'system' && !message.deleted && !(message.attachments ?? []).some((a) => !a.blobId);
}

/** The copy `authorId` writes into another conversation, with its own id and time; checked with the relay's rules. */
export function forwardedCopy(original: Message, authorId: string, now: number = Date.now()): ForwardResult {
  if (!isForwardable(original)) return { ok: false, reason: msg('This message cannot be forwarded.') };
  const copy: Message = {
    id: newMessageId(now),
    author: authorId,
    kind: original.kind,
    text: original.text,
    createdAt: clampMessageTime(now),
    forwarded: true,
  };
  if (original.attachments && original.attachments.length > 0) copy.attachments = original.attachments.map((a) => ({ ...a }));
  const refusal = checkMessage(copy.id, copy, authorId);
  return refusal ? { ok: false, reason: refusal.detail } : { ok: true, message: copy };
}

/** Shares one blob with a conversation (the server checks who may). */
export type ShareBlob = (conversationId: string, blobId: string) => Promise<ApiResult<{ blobId: string }>>;

export const shareBlob: ShareBlob = (conversationId, blobId) =>
  api.request('POST', `/api/conversations/${encodeURIComponent(conversationId)}/forwarded-blobs`, { blobId });

/**
 * Forwards `original` into each conversation of `targets`: shares its
 * attachments with the target first, then writes the copy with `write`.
 * Returns, per target, the reason it failed (empty when all went).
 */
export async function forwardMessage(
  original: Message,
  authorId: string,
  targets: readonly string[],
  write: (conversationId: string, message: Message) => void,
  share: ShareBlob = shareBlob,
): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  for (const conversationId of targets) {
    const copy = forwardedCopy(original, authorId);
    if (!copy.ok) {
      failures.set(conversationId, copy.reason);
      continue;
    }
    let refused = '';
    for (const attachment of copy.message.attachments ?? []) {
      const shared = await share(conversationId, attachment.blobId);
      if (!shared.ok) {
        refused =
          shared.status === 0
            ? msg('Pictures and files are forwarded only online. Try again when connected.')
            : msg('You cannot forward this picture or file there.');
        break;
      }
    }
    if (refused) failures.set(conversationId, refused);
    else write(conversationId, copy.message);
  }
  return failures;
}
