/**
 * The schema of our Yjs documents, read and written in one place.
 * See docs/ARCHITECTURE.md ("Documents").
 */
import type { SystemEvent } from './system-events.js';
import type * as Y from 'yjs';
import type { Head, HeadMarks } from './heads.js';
import type { ListState } from './list-state.js';

/** `file`: one attachment of any type, downloaded; `voice`: one recorded audio attachment, played in place. */
export type MessageKind = 'text' | 'image' | 'file' | 'voice' | 'system';
export const MESSAGE_KINDS: readonly MessageKind[] = ['text', 'image', 'file', 'voice', 'system'];

export interface Attachment {
  blobId: string;
  mime: string;
  width?: number;
  height?: number;
  /** A file's name as its sender's device gave it (shown, and the download's name; never a path). */
  name?: string;
  /** Bytes, for a file or a voice message. */
  size?: number;
  /** A voice message's length. */
  durationMs?: number;
  /** A voice message's waveform: up to VOICE_PEAKS_MAX bars, each 0…VOICE_PEAK_MAX. */
  peaks?: number[];
}

/** A message: a plain JSON value in the conversation's `messages` map. */
export interface Message {
  id: string;
  author: string;
  kind: MessageKind;
  text: string;
  /** Milliseconds since the epoch on the author's device: a hint, never the order. */
  createdAt: number;
  replyTo?: string;
  attachments?: Attachment[];
  editedAt?: number;
  deleted?: boolean;
  /** On a system message: what happened, for each client to word in its language (shared/system-events.ts). */
  event?: SystemEvent;
  /**
   * A copy someone forwarded from another conversation: a new message by the
   * forwarder, marked so readers know it is not their own words. The original
   * author is not named: the relay cannot check a name the forwarder writes,
   * and the author did not choose to be shown to another conversation.
   */
  forwarded?: true;
}

export type ConversationKind = 'direct' | 'group' | 'robot' | 'widget';
export type MemberRole = 'owner' | 'admin' | 'member';

export interface MemberInfo {
  name: string;
  avatar?: string;
  role: MemberRole;
  /** A former member who deleted their account: name and picture erased, shown as "Deleted account". */
  deleted?: true;
}

/** Root type names of a `conv/<id>` document. */
export const ConvRoot = {
  messages: 'messages',
  /** Legacy numbers (message id → number) of documents stored before issue 14; read through shared/seq-index.ts. */
  seq: 'seq',
  /** The append-only numbers the server writes (shared/seq-index.ts, docs/SEQ.md); the server's. */
  numbers: 'numbers',
  reads: 'reads',
  reactions: 'reactions',
  meta: 'meta',
  /** The conversation's history segments (docs/SEGMENTS.md), in `conv/<id>` only; the server's. */
  segments: 'segments',
  /** Pinned messages, by message id (`Pin`): any member pins and unpins (shared/write-rules.ts). */
  pins: 'pins',
} as const;

/** A pinned message's entry in `pins`: who pinned it and when (their clock: the newest pin shows in the bar). */
export interface Pin {
  by: string;
  at: number;
}

/** Root type names of a `user/<id>` document. */
export const UserRoot = {
  conversations: 'conversations',
  profile: 'profile',
  friends: 'friends',
  requests: 'requests',
  /** Each conversation's head (shared/heads.ts), by conversation id; the server's. */
  heads: 'heads',
  /** Each conversation's read and mention marks of this person (shared/heads.ts `HeadMarks`), by conversation id, with shared heads; the server's. */
  headMarks: 'headMarks',
  /** The person's own choices per conversation (shared/list-state.ts): the one root its owner writes. */
  listState: 'listState',
} as const;

/** One entry of a person's conversation list (in their `user/<id>` document and from the API). */
export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  title: string;
  /** For direct conversations: the other person. */
  peerId?: string;
  avatar?: string;
  createdAt: number;
  /**
   * Set when the person is no longer a member: the conversation stays in
   * the list, read-only, with what they already had.
   */
  ended?: 'left' | 'removed' | 'disbanded' | 'account-deleted';
}

export interface Profile {
  id: string;
  name: string;
  email: string;
  bio?: string;
  location?: string;
  /** URL of the avatar picture (served by the server). */
  avatar?: string;
}

/** Someone as shown to others: never their email. */
export interface PersonSummary {
  id: string;
  name: string;
  avatar?: string;
}

/** One friend in a person's `user/<id>` document. */
export interface FriendEntry extends PersonSummary {
  /** The private note the owner of the document wrote about this friend. */
  remark?: string;
  since: number;
  /** Their direct conversation. */
  conversationId: string;
}

/** A pending friend request in both people's `user/<id>` documents. */
export interface FriendRequestEntry {
  id: string;
  direction: 'incoming' | 'outgoing';
  /** The other person. */
  person: PersonSummary;
  note: string;
  createdAt: number;
}

/** Yjs's map type, learnt from the first `getMap` (this module imports Yjs's types only). */
let mapType: unknown = null;

/**
 * A root map of `doc`. Yjs's `getMap` makes a closure at every call; the relay reads `messages` and `meta` several
 * times per stored message (issue 14, session 13), so a root already typed as a map is taken from `doc.share`. A root
 * not made yet, or made untyped by an update, goes through `getMap`, which makes or types it.
 */
function rootMap<T>(doc: Y.Doc, name: string): Y.Map<T> {
  const type = doc.share.get(name);
  if (type !== undefined && type.constructor === mapType) return type as unknown as Y.Map<T>;
  const map = doc.getMap<T>(name);
  mapType ??= map.constructor;
  return map;
}

export function messagesOf(doc: Y.Doc): Y.Map<Message> {
  return rootMap<Message>(doc, ConvRoot.messages);
}

/** The legacy `seq` map alone: read numbers through `seqIndexOf` (shared/seq-index.ts), which reads both places. */
export function seqOf(doc: Y.Doc): Y.Map<number> {
  return doc.getMap<number>(ConvRoot.seq);
}

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return rootMap<unknown>(doc, ConvRoot.meta);
}

export function readsOf(doc: Y.Doc): Y.Map<number> {
  return doc.getMap<number>(ConvRoot.reads);
}

/**
 * One history segment of a conversation in `conv/<id>`'s `segments` map,
 * keyed by its number as a decimal string (docs/SEGMENTS.md). Written by the
 * server when the segment before it closed; never changed after.
 */
export interface SegmentEntry {
  /** The first number (`seq`) this segment's sequencer gives: one more than the highest of the segment before it. */
  firstSeq: number;
  /** When the server opened it (server clock, milliseconds). */
  openedAt: number;
}

/** The segment list (docs/SEGMENTS.md); empty for a conversation of one segment (segment 0, `conv/<id>` itself). */
export function segmentsOf(doc: Y.Doc): Y.Map<SegmentEntry> {
  return doc.getMap<SegmentEntry>(ConvRoot.segments);
}

/**
 * The newest segment named in a segment list: its number and its entry (segment 0 has none).
 * A document without a list has none to read: it is not made here, since every loaded conversation
 * is asked this, and an empty root type is ~0.5 KiB of a loaded room's heap (issue 14).
 */
export function newestSegmentOf(doc: Y.Doc): { segment: number; entry: SegmentEntry | null } {
  let segment = 0;
  let entry: SegmentEntry | null = null;
  if (!doc.share.has(ConvRoot.segments)) return { segment, entry };
  segmentsOf(doc).forEach((value, key) => {
    const n = Number(key);
    if (Number.isSafeInteger(n) && n > segment) {
      segment = n;
      entry = value;
    }
  });
  return { segment, entry };
}

export function conversationsOf(doc: Y.Doc): Y.Map<ConversationSummary> {
  return doc.getMap<ConversationSummary>(UserRoot.conversations);
}

export function profileOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(UserRoot.profile);
}

/** Members as the server wrote them into `meta`, for rendering names offline. */
export function membersOf(doc: Y.Doc): Record<string, MemberInfo> {
  const members = metaOf(doc).get('members');
  return members && typeof members === 'object' ? (members as Record<string, MemberInfo>) : {};
}

/**
 * People who were members once (left, removed), as the server wrote them
 * into `meta.formerMembers` when they went: their messages keep a name.
 */
export function formerMembersOf(doc: Y.Doc): Record<string, MemberInfo> {
  const former = metaOf(doc).get('formerMembers');
  return former && typeof former === 'object' ? (former as Record<string, MemberInfo>) : {};
}

/** Everyone whose messages may be in the conversation, for naming authors: members over former members. */
export function authorsOf(doc: Y.Doc): Record<string, MemberInfo> {
  return { ...formerMembersOf(doc), ...membersOf(doc) };
}

/** A person's conversation heads (shared/heads.ts), by conversation id; written by the server only. */
export function headsOf(doc: Y.Doc): Y.Map<Head> {
  return doc.getMap<Head>(UserRoot.heads);
}

/** A person's own head marks (`readSeq`, `mentionSeq`), by conversation id, when heads are shared (docs/PROTOCOL.md, "Shared conversation heads"); written by the server only. */
export function headMarksOf(doc: Y.Doc): Y.Map<HeadMarks> {
  return doc.getMap<HeadMarks>(UserRoot.headMarks);
}

/** My pins, archive and unread marks in my list, by conversation id (shared/list-state.ts). */
export function listStateOf(doc: Y.Doc): Y.Map<ListState> {
  return doc.getMap<ListState>(UserRoot.listState);
}

export function friendsOf(doc: Y.Doc): Y.Map<FriendEntry> {
  return doc.getMap<FriendEntry>(UserRoot.friends);
}

export function requestsOf(doc: Y.Doc): Y.Map<FriendRequestEntry> {
  return doc.getMap<FriendRequestEntry>(UserRoot.requests);
}

/** `reactions` keys are `msgId emoji userId`: whoever reacted owns the key, so no one can remove another's reaction. */
export function reactionKey(messageId: string, emoji: string, userId: string): string {
  return `${messageId} ${emoji} ${userId}`;
}

/** Splits a `reactions` key; null when it does not have three parts. The parts are checked by shared/write-rules.ts. */
export function parseReactionKey(key: string): { messageId: string; emoji: string; userId: string } | null {
  const parts = key.split(' ');
  if (parts.length !== 3) return null;
  const [messageId, emoji, userId] = parts;
  return { messageId, emoji, userId };
}

export function reactionsOf(doc: Y.Doc): Y.Map<true> {
  return doc.getMap<true>(ConvRoot.reactions);
}

export function pinsOf(doc: Y.Doc): Y.Map<Pin> {
  return doc.getMap<Pin>(ConvRoot.pins);
}
