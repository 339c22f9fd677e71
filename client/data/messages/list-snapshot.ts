/**
 * The conversation list's first screen as it was last drawn, kept per person
 * in localStorage (issue 12): localStorage reads synchronously, so a start
 * draws these rows at once, marked provisional, while `user/<id>` and the
 * stored heads are still coming from IndexedDB (250–800 ms after navigation
 * in the inbox bench); the real list replaces them when the heads are read.
 * It holds what the rows show (titles, previews, times, counts): the
 * person's own data on their own device, as IndexedDB already holds; it is
 * removed at sign-out with the rest (chat-session.ts, local-data.ts).
 * Text only: the list renders it through Lit's escaping, as any row.
 */
import type { ConversationKind, ConversationSummary } from '../../../shared/schema.js';
import type { KeyValueStorage } from '../key-value-storage.js';

/** One row as drawn: what the row shows, nothing it would have to look up. */
export interface ListRowView {
  id: string;
  kind: ConversationKind;
  title: string;
  avatar?: string;
  /** What picks the avatar's colours when there is no picture. */
  seed: string;
  ended?: NonNullable<ConversationSummary['ended']>;
  /** The newest message's preview as shown (with "You: " for mine). */
  preview?: string;
  /** When the newest message was written (ms since the epoch). */
  at?: number;
  unread: number;
  mentioned: boolean;
  /** Marked unread by hand. */
  marked: boolean;
  pinned: boolean;
  muted: boolean;
}

/** The first screen: its rows, and the Archived row's count (null when there is no Archived row). */
export interface ListSnapshot {
  rows: ListRowView[];
  archivedUnread: number | null;
}

/** Rows kept at most: a tall screen's worth (the list's first render holds ~19 at 800 px). */
export const SNAPSHOT_MAX_ROWS = 30;
const VERSION = 1;
const KINDS: readonly string[] = ['direct', 'group', 'robot', 'widget'] satisfies ConversationKind[];
const ENDED: readonly string[] = ['left', 'removed', 'disbanded', 'account-deleted'];

/** The localStorage key of `userId`'s snapshot. */
export function listSnapshotKey(userId: string): string {
  return `hc.listSnapshot.${userId}`;
}

/** Removes `userId`'s snapshot (sign-out, or another person signs in on this device). */
export function clearListSnapshot(userId: string, storage: KeyValueStorage | undefined = globalThis.localStorage): void {
  storage?.removeItem(listSnapshotKey(userId));
}

/**
 * One person's snapshot store. Writes only what changed, never after
 * `clear()` (a write scheduled before sign-out must not bring it back), and
 * a full or missing localStorage costs only the next start's early rows.
 */
export class ListSnapshotStore {
  private lastWritten: string | null = null;
  private cleared = false;

  constructor(
    readonly userId: string,
    private readonly storage: KeyValueStorage | undefined = globalThis.localStorage,
  ) {}

  /** The stored snapshot, or null when there is none, it is another person's, or it is not one this version wrote. */
  read(): ListSnapshot | null {
    if (this.cleared) return null;
    try {
      return parseSnapshot(this.storage?.getItem(listSnapshotKey(this.userId)) ?? null, this.userId);
    } catch {
      return null;
    }
  }

  /** Keeps `snapshot` (its first SNAPSHOT_MAX_ROWS rows) for the next start. */
  write(snapshot: ListSnapshot): void {
    if (this.cleared || !this.storage) return;
    const text = JSON.stringify({
      v: VERSION,
      userId: this.userId,
      archivedUnread: snapshot.archivedUnread,
      rows: snapshot.rows.slice(0, SNAPSHOT_MAX_ROWS),
    });
    if (text === this.lastWritten) return;
    try {
      this.storage.setItem(listSnapshotKey(this.userId), text);
      this.lastWritten = text;
    } catch (error) {
      console.warn('Could not keep the list for the next start', error);
    }
  }

  /** Removes the snapshot; later writes are ignored (the person signed out). */
  clear(): void {
    this.cleared = true;
    clearListSnapshot(this.userId, this.storage);
  }
}

/** A snapshot from its stored text, or null if anything in it is not what `write` stores for `userId`. */
export function parseSnapshot(text: string | null, userId: string): ListSnapshot | null {
  if (!text) return null;
  const value: unknown = JSON.parse(text);
  if (!isRecord(value) || value.v !== VERSION || value.userId !== userId || !Array.isArray(value.rows)) return null;
  const archivedUnread = value.archivedUnread;
  if (archivedUnread !== null && !isCount(archivedUnread)) return null;
  const rows: ListRowView[] = [];
  for (const row of value.rows.slice(0, SNAPSHOT_MAX_ROWS)) {
    const parsed = parseRow(row);
    if (!parsed) return null;
    rows.push(parsed);
  }
  return { rows, archivedUnread };
}

function parseRow(row: unknown): ListRowView | null {
  if (!isRecord(row)) return null;
  const { id, kind, title, avatar, seed, ended, preview, at, unread, mentioned, marked, pinned, muted } = row;
  if (typeof id !== 'string' || id === '' || typeof kind !== 'string' || !KINDS.includes(kind)) return null;
  if (typeof title !== 'string' || typeof seed !== 'string' || !isCount(unread)) return null;
  if (avatar !== undefined && typeof avatar !== 'string') return null;
  if (ended !== undefined && (typeof ended !== 'string' || !ENDED.includes(ended))) return null;
  if (preview !== undefined && typeof preview !== 'string') return null;
  if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at))) return null;
  if (typeof mentioned !== 'boolean' || typeof marked !== 'boolean' || typeof pinned !== 'boolean' || typeof muted !== 'boolean')
    return null;
  const view: ListRowView = { id, kind: kind as ConversationKind, title, seed, unread, mentioned, marked, pinned, muted };
  if (avatar !== undefined) view.avatar = avatar;
  if (ended !== undefined) view.ended = ended as NonNullable<ConversationSummary['ended']>;
  if (preview !== undefined) view.preview = preview;
  if (at !== undefined) view.at = at;
  return view;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
