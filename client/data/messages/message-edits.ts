/**
 * Changes a member makes to messages that already exist: edit and delete my
 * own, toggle my reactions, move my read marker. Each change is checked with
 * the relay's own rules (shared/write-rules.ts) before it touches the
 * document, so an honest client never writes what the relay would refuse (a
 * refusal stops the whole conversation).
 */
import { msg, str } from '@lit/localize';
import type * as Y from 'yjs';
import { MESSAGE_TEXT_MAX_LENGTH } from '../../../shared/limits.js';
import { clampMessageTime, isMessageTime } from '../../../shared/message-rules.js';
import { checkEntryChange, type EntryChange } from '../../../shared/write-rules.js';
import { ConvRoot, messagesOf, reactionKey, reactionsOf, readsOf, type Message } from '../../../shared/schema.js';
import { highestSequence } from './unread.js';

export type EditResult = { ok: true } | { ok: false; reason: string };

const refused = (reason: string): EditResult => ({ ok: false, reason });

function allowed(change: EntryChange, meId: string): EditResult {
  const refusal = checkEntryChange('conv', change, meId);
  return refusal ? refused(refusal.detail) : { ok: true };
}

/** Replaces the text of my message, marking it edited. */
export function editMessage(doc: Y.Doc, meId: string, id: string, rawText: string, now: number = Date.now()): EditResult {
  const messages = messagesOf(doc);
  const previous = messages.get(id);
  if (!previous) return refused('the message is gone');
  if (previous.deleted) return refused('the message was deleted');
  const text = rawText.trim();
  // A picture keeps its attachments, so its caption may become empty; a text message may not.
  if (text.length === 0 && previous.kind !== 'image') return refused(msg('Write something first.'));
  if (text.length > MESSAGE_TEXT_MAX_LENGTH) return refused(msg(str`At most ${MESSAGE_TEXT_MAX_LENGTH} characters.`));
  if (text === previous.text) return { ok: true };
  // A time from before the time rule (issue 20) is replaced, so the author can still edit the message.
  const createdAt = isMessageTime(previous.createdAt) ? previous.createdAt : clampMessageTime(now);
  const next: Message = { ...previous, text, createdAt, editedAt: Math.max(clampMessageTime(now), createdAt) };
  const check = allowed(setChange(ConvRoot.messages, id, next, previous), meId);
  if (check.ok) messages.set(id, next);
  return check;
}

/**
 * Deletes my message for everyone: the entry stays (replies and order keep
 * their anchor) but its text and attachments leave the document.
 */
export function deleteMessage(doc: Y.Doc, meId: string, id: string, now: number = Date.now()): EditResult {
  const messages = messagesOf(doc);
  const previous = messages.get(id);
  if (!previous) return refused('the message is gone');
  if (previous.deleted) return { ok: true };
  const createdAt = isMessageTime(previous.createdAt) ? previous.createdAt : clampMessageTime(now);
  const next: Message = { id: previous.id, author: previous.author, kind: previous.kind, text: '', createdAt, deleted: true };
  const check = allowed(setChange(ConvRoot.messages, id, next, previous), meId);
  if (check.ok) messages.set(id, next);
  return check;
}

/** Adds my reaction with `emoji` to a message, or takes it back if I had it. */
export function toggleReaction(doc: Y.Doc, meId: string, messageId: string, emoji: string): EditResult {
  const reactions = reactionsOf(doc);
  const key = reactionKey(messageId, emoji, meId);
  const had = reactions.get(key) === true;
  const change: EntryChange = had
    ? { kind: 'remove', root: ConvRoot.reactions, key, previous: { value: true } }
    : setChange(ConvRoot.reactions, key, true, undefined);
  const check = allowed(change, meId);
  if (!check.ok) return check;
  if (had) reactions.delete(key);
  else reactions.set(key, true);
  return check;
}

/**
 * Moves my read marker up to the newest sequenced message (or to `upTo`,
 * what was newest when I was seen reading it); returns the number written,
 * or null when there was nothing new to mark.
 */
export function markRead(doc: Y.Doc, meId: string, upTo = Number.POSITIVE_INFINITY): number | null {
  return markReadUpTo(doc, meId, Math.min(highestSequence(doc), upTo));
}

/**
 * Moves my read marker up to `newest` (a number the list showed, maybe from
 * an older segment: the newest segment just opened holds none yet, yet the
 * marker lives there, docs/SEGMENTS.md); null when it is there already.
 */
export function markReadUpTo(doc: Y.Doc, meId: string, newest: number): number | null {
  const reads = readsOf(doc);
  const current = reads.get(meId);
  if (newest === 0 || (typeof current === 'number' && current >= newest)) return null;
  const change = setChange(ConvRoot.reads, meId, newest, typeof current === 'number' ? current : undefined);
  if (checkEntryChange('conv', change, meId)) return null;
  reads.set(meId, newest);
  return newest;
}

function setChange(root: string, key: string, value: unknown, previous: unknown): EntryChange {
  const before = previous === undefined ? null : { value: previous };
  return { kind: 'set', root, key, value, previous: before, seen: before };
}
