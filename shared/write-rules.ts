/**
 * Who may write what in our documents (docs/SECURITY.md). The relay resolves
 * every item of a client's update to one change of a map entry and asks
 * these rules; the client asks the same before it writes. Pure: no node:*,
 * no DOM.
 *
 * `conv/<id>` and its segments `conv/<id>~<n>` (docs/SEGMENTS.md): members
 * add and edit their own messages, write their own `reads` key and their own
 * `reactions`, pin messages in their own name and unpin any (`pins`: the
 * conversation's shared board, as in a group of friends; docs/SECURITY.md),
 * unless the group keeps pins to its admins (shared/pin-rights.ts);
 * `seq`, `meta` and the segment list are the server's.
 * `user/<id>`: written by the server, but for `listState`, its owner's own
 * choices about their list (pinned, archived, marked unread;
 * shared/list-state.ts): only the owner may open the document at all.
 */
import { isValidId, type DocName } from './doc-names.js';
import { REACTION_MAX_LENGTH } from './limits.js';
import { isValidMessageId } from './message-id.js';
import { listStateProblem } from './list-state.js';
import { checkMessage, checkMessageRemoval, isMessageTime } from './message-rules.js';
import type { EntryRule, MessageRule, Refusal } from './refusals.js';
import { ConvRoot, parseReactionKey, UserRoot } from './schema.js';

/** Why a change is refused: a message or entry rule (refusals.ts), always with a detail (the client shows it). */
export type WriteRefusal = Required<Refusal<MessageRule | EntryRule>>;

/** An entry's value before the change; null when the key has no value. */
export type PreviousValue = { value: unknown } | null;

/** One change to one entry of a root map, as a member's update makes it. */
export type EntryChange =
  | {
      kind: 'set';
      root: string;
      key: string;
      value: unknown;
      /** The entry's current value in the stored document. */
      previous: PreviousValue;
      /**
       * The value the writer replaced in its own replica (Yjs records it as the
       * new item's origin); null when it wrote a new key or it is unknown. It
       * differs from `previous` when another replica wrote concurrently.
       */
      seen: PreviousValue;
    }
  | { kind: 'remove'; root: string; key: string; previous: PreviousValue };

const CONV_ROOTS: ReadonlySet<string> = new Set(Object.values(ConvRoot));
const USER_ROOTS: ReadonlySet<string> = new Set(Object.values(UserRoot));
const SERVER_ONLY_CONV_ROOTS: ReadonlySet<string> = new Set([ConvRoot.seq, ConvRoot.numbers, ConvRoot.meta, ConvRoot.segments]);

/** Whether `root` is a root type of this kind of document (anything else is refused, even unchanged). */
export function isKnownRoot(docKind: DocName['kind'], root: string): boolean {
  return (docKind === 'conv' ? CONV_ROOTS : USER_ROOTS).has(root);
}

/** Whether only the server writes `root` (in a user document: every root but `listState`). */
export function isServerOnlyRoot(docKind: DocName['kind'], root: string): boolean {
  return docKind === 'user' ? root !== UserRoot.listState : SERVER_ONLY_CONV_ROOTS.has(root);
}

/** What a rule reads of the document besides the change (read from `meta` by the caller, shared/pin-rights.ts). */
export interface WriteContext {
  /** The writer may pin and unpin (false in a group where only admins pin and they are a member). */
  mayPin: boolean;
}

const ANY_MEMBER: WriteContext = { mayPin: true };

/** Checks one change a member makes; null when it is allowed. */
export function checkEntryChange(
  docKind: DocName['kind'],
  change: EntryChange,
  userId: string,
  context: WriteContext = ANY_MEMBER,
): WriteRefusal | null {
  if (!isKnownRoot(docKind, change.root)) return { rule: 'unknown-root', detail: `no root type "${change.root.slice(0, 40)}"` };
  if (docKind === 'user' && change.root === UserRoot.listState) return checkListState(change);
  if (isServerOnlyRoot(docKind, change.root)) {
    return { rule: 'server-only', detail: `"${change.root}" is written by the server` };
  }
  switch (change.root) {
    case ConvRoot.messages:
      return change.kind === 'set'
        ? checkMessage(change.key, change.value, userId, change.previous?.value)
        : checkMessageRemoval(change.key, change.previous?.value, userId);
    case ConvRoot.reads:
      return checkReadMarker(change, userId);
    case ConvRoot.reactions:
      return checkReaction(change, userId);
    case ConvRoot.pins:
      return context.mayPin ? checkPin(change, userId) : { rule: 'pins-admins-only', detail: 'only the group admins pin and unpin' };
    default:
      return { rule: 'unknown-root', detail: `no rule for "${change.root}"` };
  }
}

/**
 * `listState` of one's own user document: keyed by a conversation id (any:
 * an entry about a conversation one is not in changes nothing anyone sees),
 * each value a list state (shared/list-state.ts).
 */
function checkListState(change: EntryChange): WriteRefusal | null {
  if (!isValidId(change.key)) return { rule: 'bad-list-state', detail: 'a list state is keyed by a conversation id' };
  if (change.kind === 'remove') return null;
  const problem = listStateProblem(change.value);
  return problem ? { rule: 'bad-list-state', detail: problem } : null;
}

/** `reads`: a member's own key only, the highest sequence number read, never lower than what it replaces. */
function checkReadMarker(change: EntryChange, userId: string): WriteRefusal | null {
  if (change.key !== userId) return { rule: 'not-your-key', detail: "only a member's own read marker" };
  if (change.kind === 'remove') return null;
  const { value, seen } = change;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return { rule: 'bad-read-marker', detail: 'a read marker is a non-negative integer' };
  }
  // Compared with what the writer replaced, not with the stored value: another
  // tab of the same person may have written a higher number concurrently.
  if (typeof seen?.value === 'number' && value < seen.value) {
    return { rule: 'read-marker-lowered', detail: 'a read marker only goes up' };
  }
  return null;
}

/** `reactions`: keys `msgId emoji userId` with the writer's own id, value `true`. */
function checkReaction(change: EntryChange, userId: string): WriteRefusal | null {
  const parts = parseReactionKey(change.key);
  if (
    !parts ||
    !isValidMessageId(parts.messageId) ||
    !isValidId(parts.userId) ||
    parts.emoji.length === 0 ||
    parts.emoji.length > REACTION_MAX_LENGTH ||
    /\s/.test(parts.emoji)
  ) {
    return { rule: 'bad-reaction', detail: 'a reaction key is "msgId emoji userId"' };
  }
  if (parts.userId !== userId) return { rule: 'not-your-key', detail: "only a member's own reactions" };
  if (change.kind === 'set' && change.value !== true) return { rule: 'bad-reaction', detail: 'a reaction is `true`' };
  return null;
}

const PIN_FIELDS = ['at', 'by'];

/**
 * `pins`: keyed by a message id; a pin says who pinned (the writer, never
 * someone else) and when. Any member unpins any pin: the board is the
 * conversation's, not the pinner's.
 */
function checkPin(change: EntryChange, userId: string): WriteRefusal | null {
  if (!isValidMessageId(change.key)) return { rule: 'bad-pin', detail: 'a pin is keyed by a message id' };
  if (change.kind === 'remove') return null;
  const value = change.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return { rule: 'bad-pin', detail: 'a pin is {by, at}' };
  }
  const pin = value as Record<string, unknown>;
  if (Object.keys(pin).sort().join() !== PIN_FIELDS.join()) return { rule: 'bad-pin', detail: 'a pin is {by, at}' };
  if (pin.by !== userId) return { rule: 'forged-pinner', detail: 'a pin names its writer' };
  if (!isMessageTime(pin.at)) return { rule: 'bad-pin', detail: 'a pin time is a whole millisecond between 2000 and 2100' };
  return null;
}
