/**
 * What each named command does to its document (document-command.ts), run
 * inside the document's `Room` (`serverChange`) on the relay that owns it.
 * Every effect is idempotent: applying a command twice leaves the document
 * as applying it once, and an equal value is never written again (it would
 * still grow the document).
 */
import type * as Y from 'yjs';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import type { Head, HeadMarks } from '../../shared/heads.js';
import {
  conversationsOf,
  formerMembersOf,
  friendsOf,
  headMarksOf,
  headsOf,
  membersOf,
  messagesOf,
  metaOf,
  profileOf,
  readsOf,
  requestsOf,
  segmentsOf,
  type Message,
} from '../../shared/schema.js';
import { SYSTEM_AUTHOR } from '../conversations/conversation-documents.js';
import { authorsWithoutNames, formerMembersAfter } from '../conversations/former-members.js';
import type { CommandOutcome, DocumentCommand } from './document-command.js';

/** The commands applied in one document as they are; the others first find their document (local-commands.ts). */
export type DocumentEffect = Exclude<DocumentCommand, { kind: 'mirror-meta' } | { kind: 'post-message' }>;

const PROFILE_KEYS = ['id', 'name', 'email', 'bio', 'location', 'avatar'] as const;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sets `key` to `value`, deletes it for undefined, and leaves an equal value alone. */
function setIfChanged<T>(map: Y.Map<T>, key: string, value: T | undefined): void {
  if (value === undefined) {
    if (map.has(key)) map.delete(key);
  } else if (!sameJson(map.get(key), value)) {
    map.set(key, value);
  }
}

/** Puts `message` unless a message with its id is there (a retried command, a reminder delivered again). */
export function putMessageOnce(doc: Y.Doc, message: Message): void {
  if (!messagesOf(doc).has(message.id)) messagesOf(doc).set(message.id, message);
}

function hasRobotReply(doc: Y.Doc, questionId: string): boolean {
  for (const message of messagesOf(doc).values()) if (message.author === ROBOT_USER_ID && message.replyTo === questionId) return true;
  return false;
}

/** Applies `command` to `doc` (its target); called inside the room's inbox, so nothing else changes the document meanwhile. */
export function applyToDocument(doc: Y.Doc, command: DocumentEffect): CommandOutcome {
  switch (command.kind) {
    case 'conversation-meta': {
      const meta = metaOf(doc);
      const { kind, members, title, notice, avatar, pinsByAdmins } = command.meta;
      const formerMembers = formerMembersAfter(membersOf(doc), formerMembersOf(doc), members);
      const wanted: Record<string, unknown> = {
        kind,
        members,
        formerMembers: Object.keys(formerMembers).length > 0 ? formerMembers : undefined,
        title,
        notice,
        avatar,
        pinsByAdmins,
      };
      for (const [key, value] of Object.entries(wanted)) setIfChanged(meta, key, value);
      return { unnamedAuthors: authorsWithoutNames(doc, SYSTEM_AUTHOR) };
    }
    case 'former-members': {
      const before = formerMembersOf(doc);
      const after = { ...before, ...command.found };
      if (!sameJson(before, after)) metaOf(doc).set('formerMembers', after);
      return {};
    }
    case 'segment-meta': {
      const copy = metaOf(doc);
      for (const key of [...copy.keys()]) if (!(key in command.meta)) copy.delete(key);
      for (const [key, value] of Object.entries(command.meta)) setIfChanged(copy, key, value);
      return {};
    }
    case 'put-message':
      putMessageOnce(doc, command.message);
      return {};
    case 'robot-reply':
      // Checked at write time: a second task, or a retry of this command, may have answered meanwhile.
      if (!hasRobotReply(doc, command.message.replyTo)) putMessageOnce(doc, command.message);
      return {};
    case 'segment-opened':
      setIfChanged(segmentsOf(doc), String(command.segment), command.entry);
      return {};
    case 'segment-reads':
      for (const [userId, read] of Object.entries(command.reads)) setIfChanged(readsOf(doc), userId, read);
      return {};
    case 'list-entry':
      setIfChanged(conversationsOf(doc), command.summary.id, command.summary);
      return {};
    case 'list-ended': {
      const list = conversationsOf(doc);
      const entry = list.get(command.conversationId);
      if (entry && entry.ended !== command.ended) list.set(command.conversationId, { ...entry, ended: command.ended });
      return {};
    }
    case 'list-remove':
      setIfChanged(conversationsOf(doc), command.conversationId, undefined);
      return {};
    case 'friend-put':
      setIfChanged(friendsOf(doc), command.entry.id, command.entry);
      return {};
    case 'friend-remove':
      setIfChanged(friendsOf(doc), command.friendId, undefined);
      return {};
    case 'request-put':
      setIfChanged(requestsOf(doc), command.entry.id, command.entry);
      return {};
    case 'request-remove':
      setIfChanged(requestsOf(doc), command.requestId, undefined);
      return {};
    case 'profile': {
      const profile = profileOf(doc);
      for (const key of PROFILE_KEYS) setIfChanged(profile, key, command.profile[key]);
      return {};
    }
    case 'head':
      if (!sameHead(headsOf(doc).get(command.conversationId), command.head)) headsOf(doc).set(command.conversationId, command.head);
      return {};
    case 'head-marks':
      if (!sameMarks(headMarksOf(doc).get(command.conversationId), command.marks))
        headMarksOf(doc).set(command.conversationId, command.marks);
      return {};
  }
}

function sameMarks(stored: HeadMarks | undefined, next: HeadMarks): boolean {
  return stored !== undefined && stored.readSeq === next.readSeq && stored.mentionSeq === next.mentionSeq;
}

function sameHead(stored: Head | undefined, next: Head): boolean {
  return (
    stored !== undefined &&
    stored.seq === next.seq &&
    stored.at === next.at &&
    stored.author === next.author &&
    stored.kind === next.kind &&
    stored.preview === next.preview &&
    stored.readSeq === next.readSeq &&
    stored.mentionSeq === next.mentionSeq
  );
}
