/**
 * A conversation's head: what its newest stored message looks like in the
 * list (latest `seq`, time, author, a short preview), without the
 * conversation's document. The server writes one per conversation into each
 * member's `user/<id>` document (`heads`, server-only; docs/ARCHITECTURE.md,
 * "Conversation heads"); the client's list and unread counts read them.
 * Pure: no node:*, no DOM.
 */
import type { Message, MessageKind } from './schema.js';

/** Characters of a message's text a head keeps: enough for one line of the list. */
export const HEAD_PREVIEW_MAX_LENGTH = 80;

export interface Head {
  /** The newest stored message's number: unread = seq − readSeq. */
  seq: number;
  /** When it was written (the author's clock, never later than the server's when stored), for ordering the list by activity. */
  at: number;
  author: string;
  kind: MessageKind;
  /** One line: the start of the text, "Picture", or "Message deleted"; never a deleted message's text. */
  preview: string;
  /** The highest `seq` this person has read (their `reads` marker), so unread needs no document. */
  readSeq: number;
}

/** The preview of a deleted message, in the source language: clients show their own words for it (client/data/messages/head-preview.ts). */
export const DELETED_PREVIEW = 'Message deleted';
/** The preview of a picture without a caption, likewise. */
export const PICTURE_PREVIEW = 'Picture';

/** The one-line preview of a message (undefined: the message is gone from the document). */
export function previewOf(message: Message | undefined): string {
  if (!message || message.deleted) return DELETED_PREVIEW;
  const text = message.text.replace(/\s+/g, ' ').trim();
  if (message.kind === 'image' && text === '') return PICTURE_PREVIEW;
  const characters = [...text];
  return characters.length > HEAD_PREVIEW_MAX_LENGTH ? `${characters.slice(0, HEAD_PREVIEW_MAX_LENGTH - 1).join('')}…` : text;
}

/** Unread messages by a head: what came after this person's read marker. */
export function unreadOfHead(head: Pick<Head, 'seq' | 'readSeq'>): number {
  return Math.max(0, head.seq - head.readSeq);
}

/** Whether a value read from a replica is a head (the client trusts the server, but a replica may hold anything old). */
export function isHead(value: unknown): value is Head {
  if (!value || typeof value !== 'object') return false;
  const head = value as Record<string, unknown>;
  return (
    typeof head.seq === 'number' &&
    typeof head.at === 'number' &&
    typeof head.author === 'string' &&
    typeof head.kind === 'string' &&
    typeof head.preview === 'string' &&
    typeof head.readSeq === 'number'
  );
}
