/**
 * A conversation head's preview as the person reads it: the server writes
 * "Message deleted" and "Picture" in the source language into every head
 * (shared/heads.ts), and each client says them in its own.
 */
import { msg } from '@lit/localize';
import { DELETED_PREVIEW, PICTURE_PREVIEW } from '../../../shared/heads.js';
import type { MessageKind } from '../../../shared/schema.js';

/** The preview text to show for a head, with the placeholder previews in the current language. */
export function shownPreview(head: { preview: string; kind: MessageKind }): string {
  if (head.preview === DELETED_PREVIEW) return msg('Message deleted');
  if (head.kind === 'image' && head.preview === PICTURE_PREVIEW) return msg('Picture');
  return head.preview;
}
