/**
 * A conversation head's preview as the person reads it: the server writes
 * "Message deleted", "Picture" and "Voice message" in the source language into every head
 * (shared/heads.ts), and each client says them in its own.
 */
import { msg, str } from '@lit/localize';
import { DELETED_PREVIEW, PICTURE_PREVIEW, VOICE_PREVIEW } from '../../../shared/heads.js';
import type { MessageKind } from '../../../shared/schema.js';

/** The preview text to show for a head, with the placeholder previews in the current language. */
export function shownPreview(head: { preview: string; kind: MessageKind }): string {
  if (head.preview === DELETED_PREVIEW) return msg('Message deleted');
  if (head.kind === 'image' && head.preview === PICTURE_PREVIEW) return msg('Picture');
  // Words, not 📎 or 🎤: a device without an emoji font would show an empty box.
  if (head.kind === 'voice' && head.preview === VOICE_PREVIEW) return msg('Voice message');
  if (head.kind === 'file') return msg(str`File: ${head.preview}`);
  return head.preview;
}
