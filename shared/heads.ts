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
  /** In groups: the newest message that @mentions this person (sync-server/participants/mention-marks.ts); absent when none. */
  mentionSeq?: number;
  /**
   * The history segment holding that message (docs/SEGMENTS.md); absent: 0,
   * `conv/<id>` itself. A device opens it together with `conv/<id>` instead
   * of after `conv/<id>`'s segment list arrived (one round trip less on a
   * fresh device's first open).
   */
  segment?: number;
}

/** The part of a head that is the same for every member: kept once per conversation with `HEADS_SHARED` (docs/PROTOCOL.md, "Shared conversation heads"). */
export type SharedHead = Omit<Head, 'readSeq' | 'mentionSeq'>;

/** A person's own part of a head, in their `user/<id>` (`headMarks`): it moves when they read, write or are mentioned, not when others write. */
export interface HeadMarks {
  readSeq: number;
  mentionSeq?: number;
}

/** The preview of a deleted message, in the source language: clients show their own words for it (client/data/messages/head-preview.ts). */
export const DELETED_PREVIEW = 'Message deleted';
/** The preview of a picture without a caption, likewise. */
export const PICTURE_PREVIEW = 'Picture';
/** The preview of a voice message, likewise (a file's preview is its name: the sender's words, in no language of ours). */
export const VOICE_PREVIEW = 'Voice message';

/** The one-line preview of a message (undefined: the message is gone from the document). */
export function previewOf(message: Message | undefined): string {
  if (!message || message.deleted) return DELETED_PREVIEW;
  const text = onOneLine(message.text);
  if (message.kind === 'image' && text === '') return PICTURE_PREVIEW;
  if (message.kind === 'voice') return VOICE_PREVIEW;
  if (message.kind === 'file' && text === '') return cut(onOneLine(message.attachments?.[0]?.name ?? ''));
  return cut(text);
}

/**
 * Whether a text is not already on one line: a whitespace other than a space,
 * two whitespaces in a row, or one at either end. Without any, collapsing
 * runs of whitespace and trimming would give the text back as it is, so it
 * is returned without making two new strings (issue 14: the relay previews
 * every stored message).
 */
const NOT_ONE_LINE = /[^\S ]|\s\s|^\s|\s$/;

function onOneLine(original: string): string {
  return NOT_ONE_LINE.test(original) ? original.replace(/\s+/g, ' ').trim() : original;
}

/**
 * Cut at the limit in characters. A text of at most the limit in UTF-16
 * units has at most that many characters, so it is whole without splitting
 * it into characters: the relay takes a preview of every message (issue 14).
 */
function cut(text: string): string {
  if (text.length <= HEAD_PREVIEW_MAX_LENGTH) return text;
  const characters = [...text];
  return characters.length > HEAD_PREVIEW_MAX_LENGTH ? `${characters.slice(0, HEAD_PREVIEW_MAX_LENGTH - 1).join('')}…` : text;
}

/** Unread messages by a head: what came after this person's read marker. */
export function unreadOfHead(head: Pick<Head, 'seq' | 'readSeq'>): number {
  return Math.max(0, head.seq - head.readSeq);
}

/** Whether this person is mentioned in a message they have not read (`readSeq`: their marker, or a newer one this device knows): the list's @ badge. */
export function hasUnreadMention(head: Pick<Head, 'mentionSeq'>, readSeq: number): boolean {
  return typeof head.mentionSeq === 'number' && head.mentionSeq > readSeq;
}

/** Whether a value read from a replica is a head (the client trusts the server, but a replica may hold anything old). */
export function isHead(value: unknown): value is Head {
  return isSharedHead(value) && typeof (value as { readSeq?: unknown }).readSeq === 'number';
}

/** Whether a value is a shared head (a frame's, or one a device stored: the client trusts the server, not what a store may hold). */
export function isSharedHead(value: unknown): value is SharedHead {
  if (!value || typeof value !== 'object') return false;
  const head = value as Record<string, unknown>;
  return (
    typeof head.seq === 'number' &&
    typeof head.at === 'number' &&
    typeof head.author === 'string' &&
    typeof head.kind === 'string' &&
    typeof head.preview === 'string'
  );
}
