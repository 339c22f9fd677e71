/**
 * A person's own choices about the conversations in their list (issue 15):
 * pinned on top, archived, marked unread. They live in `listState` of the
 * person's `user/<id>` document, keyed by conversation id: the one root of
 * that document its owner writes (only its owner may open it), so the
 * choices work offline and follow the person to every device. The relay
 * checks each entry with `checkListStateValue` (shared/write-rules.ts), and
 * the client checks the same before it writes.
 */

/** One conversation's choices; a conversation with none has no entry. */
export interface ListState {
  /** Pinned on top of the list since then (ms); the latest pinned first. */
  pinnedAt?: number;
  /** In the Archived section; a new message leaves it there (docs/CLIENT.md, "List actions"). */
  archived?: true;
  /** Marked unread by hand: shown with an unread mark until the conversation is opened. */
  unread?: true;
}

const FIELDS: ReadonlySet<string> = new Set(['pinnedAt', 'archived', 'unread']);
/** Pin times the relay accepts: whole milliseconds between 2000 and 2100, as message times. */
const TIME_MIN_MS = Date.UTC(2000, 0, 1);
const TIME_MAX_MS = Date.UTC(2100, 0, 1);

/** Why a value is no list state, or null when it is one. */
export function listStateProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return 'a list state is {pinnedAt?, archived?, unread?}';
  }
  const entry = value as Record<string, unknown>;
  const keys = Object.keys(entry);
  if (keys.length === 0) return 'an empty list state is removed, not written';
  if (keys.some((key) => !FIELDS.has(key))) return 'a list state holds only pinnedAt, archived and unread';
  const { pinnedAt, archived, unread } = entry;
  if (
    pinnedAt !== undefined &&
    !(Number.isSafeInteger(pinnedAt) && (pinnedAt as number) >= TIME_MIN_MS && (pinnedAt as number) < TIME_MAX_MS)
  ) {
    return 'pinnedAt is a whole millisecond between 2000 and 2100';
  }
  if (archived !== undefined && archived !== true) return 'archived is true or absent';
  if (unread !== undefined && unread !== true) return 'unread is true or absent';
  if (pinnedAt !== undefined && archived !== undefined) return 'an archived conversation is not pinned';
  return null;
}

/** The state with `change` applied; fields set to undefined go, and pinning unarchives (and archiving unpins), as in WhatsApp. */
export function changedListState(current: ListState | undefined, change: Partial<Record<keyof ListState, unknown>>): ListState {
  const next: Record<string, unknown> = { ...current, ...change };
  if (change.pinnedAt !== undefined) delete next.archived;
  if (change.archived !== undefined) delete next.pinnedAt;
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return next as ListState;
}
