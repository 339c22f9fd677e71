/**
 * Which older history segments this device keeps (docs/SEGMENTS.md,
 * "Devices"): each conversation's newest segment always, and at most
 * `OLDER_SEGMENTS_KEPT` older ones, least recently opened out first. What
 * was opened when is kept in localStorage per person, so the bound holds
 * across reloads; an evicted segment is just a deleted IndexedDB database,
 * synced again from the relay when the person scrolls to it.
 */
import type { KeyValueStorage } from '../key-value-storage.js';
import { segmentsToEvict } from '../messages/segment-run.js';

/** Older segments kept per conversation: ~8,000 messages, ~2 MiB at the recommended bound (1,000 messages a segment). */
export const OLDER_SEGMENTS_KEPT = 8;

/** One conversation's record: when each segment was last opened, and which hold a change of mine not yet sent. */
interface Record {
  opened: { [segment: string]: number };
  unsent: number[];
}

export class SegmentKeep {
  /** Where records live without localStorage (Node tests): this process only. */
  private readonly fallback = new Map<string, string>();
  private readonly storage: KeyValueStorage;

  constructor(
    private readonly meId: string,
    storage: KeyValueStorage | undefined = globalThis.localStorage,
    private readonly keep = OLDER_SEGMENTS_KEPT,
    private readonly now: () => number = Date.now,
  ) {
    const fallback = this.fallback;
    this.storage = storage ?? {
      getItem: (key) => fallback.get(key) ?? null,
      setItem: (key, value) => void fallback.set(key, value),
      removeItem: (key) => void fallback.delete(key),
    };
  }

  /** The person opened a segment (as the newest, or scrolling back to it). */
  opened(conversationId: string, segment: number): void {
    const record = this.read(conversationId);
    record.opened[segment] = this.now();
    this.write(conversationId, record);
  }

  /** Whether the segment was opened on this device and not evicted since (its local copy may hold something). */
  held(conversationId: string, segment: number): boolean {
    return this.read(conversationId).opened[segment] !== undefined;
  }

  /** A change of mine went into a segment while it was not connected: it must stay until it synced. */
  markUnsent(conversationId: string, segment: number): void {
    const record = this.read(conversationId);
    if (record.unsent.includes(segment)) return;
    record.unsent.push(segment);
    this.write(conversationId, record);
  }

  /** The segment synced with the relay since its change: it may go. */
  markSent(conversationId: string, segment: number): void {
    const record = this.read(conversationId);
    if (!record.unsent.includes(segment)) return;
    record.unsent = record.unsent.filter((n) => n !== segment);
    this.write(conversationId, record);
  }

  /**
   * The older segments to delete from this device now, oldest opened first,
   * and forgets them: never the newest, one open in this session (the list
   * may be showing it) or one with a change not yet sent.
   */
  takeEvictions(conversationId: string, newest: number, openNow: ReadonlySet<number>): number[] {
    const record = this.read(conversationId);
    const lastOpened = new Map(Object.entries(record.opened).map(([segment, at]) => [Number(segment), at]));
    const held = (segment: number) => openNow.has(segment) || record.unsent.includes(segment);
    const evicted = segmentsToEvict(newest, lastOpened, held, this.keep);
    if (evicted.length === 0) return [];
    for (const segment of evicted) delete record.opened[segment];
    this.write(conversationId, record);
    return evicted;
  }

  /** Sign-out: every record of this person goes with their data. */
  clear(conversationIds: Iterable<string>): void {
    for (const id of conversationIds) this.storage.removeItem(this.key(id));
  }

  private key(conversationId: string): string {
    return `hc.segments.${this.meId}.${conversationId}`;
  }

  private read(conversationId: string): Record {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.key(conversationId)) ?? 'null');
      if (isRecord(parsed)) return parsed;
    } catch {
      // A damaged record is started again: at worst a segment is kept longer or synced again.
    }
    return { opened: {}, unsent: [] };
  }

  private write(conversationId: string, record: Record): void {
    this.storage.setItem(this.key(conversationId), JSON.stringify(record));
  }
}

function isRecord(value: unknown): value is Record {
  if (typeof value !== 'object' || value === null) return false;
  const { opened, unsent } = value as { opened?: unknown; unsent?: unknown };
  return (
    typeof opened === 'object' &&
    opened !== null &&
    Object.values(opened).every((at) => typeof at === 'number') &&
    Array.isArray(unsent) &&
    unsent.every((n) => typeof n === 'number')
  );
}
