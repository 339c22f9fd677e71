/**
 * Who may write what in our documents (docs/SECURITY.md). The relay resolves
 * every item of a client's update to one change of a map entry and asks
 * these rules; the client asks the same before it writes. Pure: no node:*,
 * no DOM.
 *
 * `conv/<id>` and its segments `conv/<id>~<n>` (docs/SEGMENTS.md): members
 * add and edit their own messages, write their own `reads` key and their own
 * `reactions`; `seq`, `meta` and the segment list are the server's.
 * `user/<id>`: written by the server alone (for now).
 */
import { isValidId, type DocName } from './doc-names.js';
import { REACTION_MAX_LENGTH } from './limits.js';
import { isValidMessageId } from './message-id.js';
import { checkMessage, checkMessageRemoval } from './message-rules.js';
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
const SERVER_ONLY_CONV_ROOTS: ReadonlySet<string> = new Set([ConvRoot.seq, ConvRoot.meta, ConvRoot.segments]);

/** Whether `root` is a root type of this kind of document (anything else is refused, even unchanged). */
export function isKnownRoot(docKind: DocName['kind'], root: string): boolean {
  return (docKind === 'conv' ? CONV_ROOTS : USER_ROOTS).has(root);
}

/** Checks one change a member makes; null when it is allowed. */
export function checkEntryChange(docKind: DocName['kind'], change: EntryChange, userId: string): WriteRefusal | null {
  if (!isKnownRoot(docKind, change.root)) return { rule: 'unknown-root', detail: `no root type "${change.root.slice(0, 40)}"` };
  if (docKind === 'user' || SERVER_ONLY_CONV_ROOTS.has(change.root)) {
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
    default:
      return { rule: 'unknown-root', detail: `no rule for "${change.root}"` };
  }
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
