/**
 * What this device's conversation copies hold, kept beside them in
 * localStorage (one small record per person): the newest `seq` each copy was
 * synced to and its size. Background sync (background-sync.ts) compares it
 * with the list's heads, so it knows which copies are behind without opening
 * a single IndexedDB database. A lost record only costs a sync that brings
 * nothing new.
 */
import type { KeyValueStorage } from '../key-value-storage.js';

export interface LocalCopy {
  seq: number;
  bytes: number;
  /** Brought up to date by background sync (counts against its byte bound), not by the person opening it. */
  background: boolean;
}

const KEY_PREFIX = 'happychat.local-copies.';

export class LocalCopies {
  private readonly copies: Map<string, LocalCopy>;

  constructor(
    private readonly userId: string,
    private readonly storage: KeyValueStorage,
  ) {
    this.copies = readCopies(storage.getItem(KEY_PREFIX + userId));
  }

  /** The newest `seq` the copy of `conversationId` is known to hold; 0 when unknown. */
  seq(conversationId: string): number {
    return this.copies.get(conversationId)?.seq ?? 0;
  }

  /** Bytes held by the copies background sync brought up to date. */
  backgroundBytes(): number {
    let total = 0;
    for (const copy of this.copies.values()) if (copy.background) total += copy.bytes;
    return total;
  }

  /** Records a copy just synced; a copy the person opened stays counted as theirs. */
  record(conversationId: string, seq: number, bytes: number, background: boolean): void {
    const before = this.copies.get(conversationId);
    const copy = { seq, bytes, background: background && (before?.background ?? true) };
    if (before && before.seq === copy.seq && before.bytes === copy.bytes && before.background === copy.background) return;
    this.copies.set(conversationId, copy);
    this.storage.setItem(KEY_PREFIX + this.userId, JSON.stringify(Object.fromEntries(this.copies)));
  }

  /** Forgets everything (sign-out deletes the copies themselves). */
  clear(): void {
    this.copies.clear();
    this.storage.removeItem(KEY_PREFIX + this.userId);
  }
}

/** The stored record, keeping only well-formed entries (localStorage may hold anything old). */
function readCopies(stored: string | null): Map<string, LocalCopy> {
  const copies = new Map<string, LocalCopy>();
  if (!stored) return copies;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return copies;
  }
  if (!parsed || typeof parsed !== 'object') return copies;
  for (const [id, value] of Object.entries(parsed as Record<string, unknown>)) {
    const copy = value as Partial<LocalCopy> | null;
    if (copy && typeof copy.seq === 'number' && typeof copy.bytes === 'number' && typeof copy.background === 'boolean') {
      copies.set(id, { seq: copy.seq, bytes: copy.bytes, background: copy.background });
    }
  }
  return copies;
}
