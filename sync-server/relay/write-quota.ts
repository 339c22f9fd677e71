/**
 * Write quotas: how many bytes one person may add to the stored documents
 * over time (across all their connections and documents), and how large one
 * document may grow. Every byte a member writes is stored and downloaded by
 * every new device of every member, so without them one connection could
 * write tens of megabytes in seconds (issue 20, item 4).
 *
 * A client update is checked before it is applied, against its length (an
 * upper bound of what it can add); what it really added is counted after.
 * An update that adds no new structs (an honest step 2 repeating the delete
 * set, a reconnect with nothing unsent) is always let through, so a person
 * over their quota can still read. A refusal closes with 4413 and the rule
 * as the reason; nothing of the update is applied, and the device keeps it
 * for later. The server's own writes (sequencer, meta, robot) never pass
 * through here.
 */
import * as Y from 'yjs';
import type { QuotaRule, Refusal } from '../../shared/refusals.js';
import { TokenBucket } from '../limiting/token-bucket.js';

const MIB = 1024 * 1024;
const HOUR_SECONDS = 3600;

export interface WriteQuotaConfig {
  /** Bytes a person may write at once (a day offline handed over on reconnect). */
  burstBytes: number;
  /** Bytes a person may keep writing per hour, over all their connections and documents. */
  bytesPerHour: number;
  /**
   * Largest stored size of one document. History segments (a later issue)
   * will split long conversations; until then this is the ceiling.
   */
  maxDocumentBytes: number;
}

/** Defaults (README, "Configuration"): far above what a person types, far below a flood. */
export const DEFAULT_WRITE_QUOTA: WriteQuotaConfig = {
  burstBytes: 1 * MIB,
  bytesPerHour: 16 * MIB,
  maxDocumentBytes: 64 * MIB,
};

/** Above this many people with a bucket, full buckets are forgotten so memory stays bounded. */
const SWEEP_THRESHOLD = 10_000;

/** Each person's byte bucket; one instance per process, shared by every room. */
export class PersonWriteQuotas {
  private readonly byUser = new Map<string, TokenBucket>();

  constructor(
    readonly config: WriteQuotaConfig = DEFAULT_WRITE_QUOTA,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether `userId` may write `bytes` more now. A full bucket admits even an
   * update larger than the burst (a big offline backlog comes as one frame),
   * which then leaves it in debt: every update can get through eventually.
   */
  allows(userId: string, bytes: number): boolean {
    const now = this.now();
    const bucket = this.bucket(userId, now);
    return bucket.holds(now, bytes) || bucket.isFull(now);
  }

  /** Counts bytes an accepted update of `userId` added. */
  spend(userId: string, bytes: number): void {
    const now = this.now();
    this.bucket(userId, now).spend(now, bytes);
  }

  private bucket(userId: string, now: number): TokenBucket {
    let bucket = this.byUser.get(userId);
    if (!bucket) {
      if (this.byUser.size >= SWEEP_THRESHOLD) this.sweep(now);
      bucket = new TokenBucket({ burst: this.config.burstBytes, perSecond: this.config.bytesPerHour / HOUR_SECONDS }, now);
      this.byUser.set(userId, bucket);
    }
    return bucket;
  }

  private sweep(now: number): void {
    for (const [userId, bucket] of this.byUser) {
      if (bucket.isFull(now)) this.byUser.delete(userId);
    }
  }
}

/** One document's side of the quotas: its stored size against the budget, and who pays for what. */
export class DocumentWriteBudget {
  constructor(
    private readonly quotas: PersonWriteQuotas,
    /** The document's stored bytes: what was loaded, plus every update stored since. */
    private storedBytes: number,
    /** Names the refusal: a conversation is full, or a person's own document. */
    private readonly kind: 'conversation' | 'document',
  ) {}

  /** The document's stored bytes: what was loaded, plus every update stored since (the merged size after a compaction). */
  get bytes(): number {
    return this.storedBytes;
  }

  /** Returns the refusal when `update` by `userId` would pass their quota or the document's budget. */
  check(doc: Y.Doc, update: Uint8Array, userId: string): Refusal<QuotaRule> | null {
    const bytes = update.byteLength;
    const fitsDocument = this.storedBytes + bytes <= this.quotas.config.maxDocumentBytes;
    const fitsPerson = this.quotas.allows(userId, bytes);
    if ((fitsDocument && fitsPerson) || !addsStructs(doc, update)) return null;
    if (!fitsDocument) {
      const rule = this.kind === 'conversation' ? 'conversation-full' : 'document-full';
      return { rule, detail: `${this.storedBytes} bytes stored` };
    }
    return { rule: 'write-quota', detail: `${bytes} bytes over the quota` };
  }

  /** Counts an accepted update: `clientBytes` against its writer, `storedBytes` (with the sequencer's part) against the document. */
  record(userId: string, clientBytes: number, storedBytes: number): void {
    if (clientBytes > 0) this.quotas.spend(userId, clientBytes);
    this.storedBytes += storedBytes;
  }

  /** The log was merged into one update of `bytes`: the document's size is that now. */
  compacted(bytes: number): void {
    this.storedBytes = bytes;
  }
}

/** Whether `update` holds a struct `doc` does not have yet (so applying it stores something new). */
function addsStructs(doc: Y.Doc, update: Uint8Array): boolean {
  try {
    for (const [client, end] of Y.parseUpdateMeta(update).to) {
      if (end > Y.getState(doc.store, client)) return true;
    }
    return false;
  } catch {
    // Not decodable: applying it will refuse it; count it as new meanwhile.
    return true;
  }
}
