/**
 * Server-side changes to documents as named commands (docs/SCALING.md,
 * "Commands"): plain data naming what to change, not closures, so that in
 * a cluster a change can travel to the relay that owns the document and be
 * applied there, inside the document's `Room`, one batch at a time like
 * every other change. Each command names the one document it is applied in
 * (`targetOf`); apply-command.ts says what each does to it.
 *
 * Every effect is idempotent by itself, because a command may be applied
 * twice (its owner died after storing it and before answering, and the
 * sender tried again): a message is put only if its id (a robot reply: its
 * question) is not there yet; everything else sets a value to what the
 * command names, skipping an equal one.
 */
import { convDocName, parseDocName, segmentDocName, userDocName } from '../../shared/doc-names.js';
import type { Head, HeadMarks } from '../../shared/heads.js';
import type {
  ConversationKind,
  ConversationSummary,
  FriendEntry,
  FriendRequestEntry,
  MemberInfo,
  Message,
  Profile,
  SegmentEntry,
} from '../../shared/schema.js';

/** What the server keeps in a conversation's `meta` from the store; `formerMembers` is worked out from the document. */
export interface ConversationMetaValues {
  kind: ConversationKind;
  members: Record<string, MemberInfo>;
  title?: string;
  notice?: string;
  avatar?: string;
  /** Groups: only admins pin (shared/pin-rights.ts); absent when any member may. */
  pinsByAdmins?: true;
}

export type DocumentCommand =
  // A conversation's `conv/<id>` (or one of its history segments).
  /** Rewrites `meta` from the store; answers with the authors neither current nor former members name. */
  | { kind: 'conversation-meta'; conversationId: string; meta: ConversationMetaValues }
  /** Adds names found in the account store for authors who had none. */
  | { kind: 'former-members'; conversationId: string; found: Record<string, MemberInfo> }
  /** On the owner of `conv/<id>`: copies its `meta` into the newest segment, when that is a later one. */
  | { kind: 'mirror-meta'; conversationId: string }
  /** Makes a segment's copy of `meta` equal to `meta`. */
  | { kind: 'segment-meta'; docName: string; meta: Record<string, unknown> }
  /** On the owner of `conv/<id>`: puts a server's message (system, robot welcome, reminder) into the newest segment. */
  | { kind: 'post-message'; conversationId: string; message: Message }
  /** Puts a message into this very document unless one with its id is there. */
  | { kind: 'put-message'; docName: string; message: Message }
  /** Puts the robot's answer unless the question already has one (its `replyTo`). */
  | { kind: 'robot-reply'; docName: string; message: Message & { replyTo: string } }
  /** Names a new history segment in `conv/<id>`'s list (a rollover). */
  | { kind: 'segment-opened'; conversationId: string; segment: number; entry: SegmentEntry }
  /** Starts a new segment with the read markers of the one that closed. */
  | { kind: 'segment-reads'; conversationId: string; segment: number; reads: Record<string, number> }
  // A person's `user/<id>`.
  | { kind: 'list-entry'; userId: string; summary: ConversationSummary }
  | { kind: 'list-ended'; userId: string; conversationId: string; ended: NonNullable<ConversationSummary['ended']> }
  | { kind: 'list-remove'; userId: string; conversationId: string }
  | { kind: 'friend-put'; userId: string; entry: FriendEntry }
  | { kind: 'friend-remove'; userId: string; friendId: string }
  | { kind: 'request-put'; userId: string; entry: FriendRequestEntry }
  | { kind: 'request-remove'; userId: string; requestId: string }
  /** The profile mirrored into `user/<id>`; a field left out is deleted there. */
  | { kind: 'profile'; userId: string; profile: Profile }
  | { kind: 'head'; userId: string; conversationId: string; head: Head }
  /** A person's own marks of one conversation when heads are shared (participants/head-writer.ts). */
  | { kind: 'head-marks'; userId: string; conversationId: string; marks: HeadMarks };

export type CommandKind = DocumentCommand['kind'];

/** What a command answers; only `conversation-meta` says anything. */
export interface CommandOutcome {
  unnamedAuthors?: string[];
}

/** Runs commands wherever their documents are: here (one process), or on the owning relay (a cluster). */
export interface DocumentCommands {
  /** Resolves once the change is stored (or, idempotent, found already there); rejects when it could not be. */
  run(command: DocumentCommand): Promise<CommandOutcome>;
}

const KINDS: ReadonlySet<string> = new Set<CommandKind>([
  'conversation-meta',
  'former-members',
  'mirror-meta',
  'segment-meta',
  'post-message',
  'put-message',
  'robot-reply',
  'segment-opened',
  'segment-reads',
  'list-entry',
  'list-ended',
  'list-remove',
  'friend-put',
  'friend-remove',
  'request-put',
  'request-remove',
  'profile',
  'head',
  'head-marks',
]);

/** The document a command is applied in (where it travels to in a cluster). */
export function targetOf(command: DocumentCommand): string {
  switch (command.kind) {
    case 'conversation-meta':
    case 'former-members':
    case 'mirror-meta':
    case 'post-message':
    case 'segment-opened':
      return convDocName(command.conversationId);
    case 'segment-reads':
      return segmentDocName(command.conversationId, command.segment);
    case 'segment-meta':
    case 'put-message':
    case 'robot-reply':
      return command.docName;
    default:
      return userDocName(command.userId);
  }
}

/**
 * A command as another relay sent it (JSON), or null. Relays trust each
 * other (docs/SECURITY.md, "Edges"), so this checks that it is a command
 * of a known kind naming a real document, not every field.
 */
export function parseCommand(json: string): DocumentCommand | null {
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== 'object' || !KINDS.has(String((value as { kind?: unknown }).kind))) return null;
    const command = value as DocumentCommand;
    return parseDocName(targetOf(command)) ? command : null;
  } catch {
    return null;
  }
}
