/**
 * The cheap pre-check of a client's update, before Yjs sees a byte of it.
 *
 * Yjs trusts the counts written in an update: `Y.applyUpdate` allocates an
 * array as long as the struct count a client claims, so a 7-byte update
 * claiming 20 million structs costs 160 MB and ~140 ms before Yjs notices it
 * is truncated; `Y.decodeUpdate` has no such allocation but builds one object
 * per struct, up to ~500k of them from a 1 MiB frame. This scanner walks the
 * update's byte layout (Yjs update format v1, the one y-websocket speaks)
 * without building anything, and stops at the first bound it passes: bytes,
 * structs, delete ranges, clocks, string lengths, nesting depth of values,
 * and content types (our documents hold plain JSON values in maps, so only
 * `ContentAny` and `ContentDeleted` items, GC and Skip structs are allowed).
 * Only an update that passes is decoded by Yjs.
 */
import type { ScanRule } from '../../../shared/refusals.js';
import {
  ANY_ARRAY,
  ANY_FALSE,
  ANY_FLOAT32,
  ANY_FLOAT64,
  ANY_INT,
  ANY_NULL,
  ANY_OBJECT,
  ANY_STRING,
  ANY_TRUE,
  ANY_UNDEFINED,
} from './lib0-any-tags.js';

export interface UpdateLimits {
  /** Bytes of one update (the frame bound is MAX_FRAME_BYTES). */
  maxBytes: number;
  /** Structs (items, GC, skips) in one update, known ones included. */
  maxStructs: number;
  /** Ranges in one update's delete set. An honest step 2 carries the whole delete set of the document. */
  maxDeleteRanges: number;
  /** Highest clock a struct or delete range may reach: far above any real session, far below 2^53. */
  maxClock: number;
  /** Bytes of a root type name or map key. */
  maxKeyBytes: number;
  /** Nesting of arrays and objects inside one value (lib0's reader recurses). */
  maxValueDepth: number;
}

export const DEFAULT_UPDATE_LIMITS: UpdateLimits = {
  maxBytes: 1024 * 1024,
  maxStructs: 10_000,
  maxDeleteRanges: 100_000,
  maxClock: 2 ** 31,
  maxKeyBytes: 1024,
  maxValueDepth: 16,
};

/**
 * The limits for an update of `bytes`: above `maxBytes` (only a sync step 2
 * can be; the relay bounds its frame, receiving-bytes.ts) the struct and
 * delete-range counts grow in proportion, so a large offline backlog costs
 * per byte what a 1 MiB update may.
 */
export function limitsForSize<T extends UpdateLimits>(limits: T, bytes: number): T {
  if (bytes <= limits.maxBytes) return limits;
  const factor = Math.ceil(bytes / limits.maxBytes);
  return { ...limits, maxBytes: bytes, maxStructs: limits.maxStructs * factor, maxDeleteRanges: limits.maxDeleteRanges * factor };
}

export type ScanResult = { ok: true; structs: number; deleteRanges: number } | { ok: false; rule: ScanRule; detail: string };

class ScanError extends Error {
  constructor(
    readonly rule: ScanRule,
    detail: string,
  ) {
    super(detail);
  }
}

// Yjs struct info byte: low 5 bits are the content ref, high bits say what follows.
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
const CONTENT_MASK = 0x1f;
const CONTENT_GC = 0;
const CONTENT_DELETED = 1;
const CONTENT_TYPE = 7;
const CONTENT_ANY = 8;
const CONTENT_DOC = 9;
const SKIP = 10;

/** Checks the layout and bounds of a v1 update without allocating per struct. */
export function scanUpdate(update: Uint8Array, limits: UpdateLimits = DEFAULT_UPDATE_LIMITS): ScanResult {
  if (update.byteLength > limits.maxBytes) {
    return { ok: false, rule: 'update-too-large', detail: `${update.byteLength} bytes` };
  }
  try {
    return new Scanner(update, limits).scan();
  } catch (error) {
    if (error instanceof ScanError) return { ok: false, rule: error.rule, detail: error.message };
    throw error;
  }
}

class Scanner {
  private pos = 0;
  private structs = 0;
  private deleteRanges = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: UpdateLimits,
  ) {}

  scan(): ScanResult {
    const clients = this.count('structs', this.limits.maxStructs);
    for (let c = 0; c < clients; c++) this.clientStructs();
    const deleteClients = this.count('delete clients', this.limits.maxDeleteRanges);
    for (let c = 0; c < deleteClients; c++) this.clientDeletes();
    if (this.pos !== this.bytes.length) throw new ScanError('malformed-update', 'trailing bytes');
    return { ok: true, structs: this.structs, deleteRanges: this.deleteRanges };
  }

  private clientStructs(): void {
    const count = this.uint();
    this.structs += count;
    // Checked before the loop: this is the number Yjs would allocate an array for.
    if (this.structs > this.limits.maxStructs) throw new ScanError('too-many-structs', `more than ${this.limits.maxStructs}`);
    this.uint(); // client id
    let clock = this.clock(this.uint());
    for (let i = 0; i < count; i++) clock = this.clock(clock + this.struct());
  }

  /** Reads one struct and returns its length in clock ticks. */
  private struct(): number {
    const info = this.byte();
    if (info === SKIP) return this.length();
    const content = info & CONTENT_MASK;
    if (content === CONTENT_GC) return this.length();
    if (info & HAS_ORIGIN) this.id();
    if (info & HAS_RIGHT_ORIGIN) this.id();
    if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
      if (this.uint() === 1)
        this.string(this.limits.maxKeyBytes); // parent: a root type's name
      else this.id(); // parent: an item (a nested type); refused later, but laid out here
      if (info & HAS_PARENT_SUB) this.string(this.limits.maxKeyBytes);
    }
    if (content === CONTENT_DELETED) return this.length();
    if (content === CONTENT_ANY) {
      const values = this.length();
      for (let i = 0; i < values; i++) this.value(0);
      return values;
    }
    if (content === CONTENT_TYPE || content === CONTENT_DOC) throw new ScanError('nested-type', 'values are plain JSON, not Yjs types');
    throw new ScanError('content-type', `content type ${content} is not used in our documents`);
  }

  private clientDeletes(): void {
    this.uint(); // client id
    const ranges = this.uint();
    this.deleteRanges += ranges;
    if (this.deleteRanges > this.limits.maxDeleteRanges)
      throw new ScanError('too-many-deletes', `more than ${this.limits.maxDeleteRanges}`);
    for (let i = 0; i < ranges; i++) {
      const start = this.clock(this.uint());
      this.clock(start + this.deleteLength());
    }
  }

  /** Skips one lib0 `any` value of the JSON subset. */
  private value(depth: number): void {
    if (depth > this.limits.maxValueDepth) throw new ScanError('malformed-update', 'value nested too deeply');
    const tag = this.byte();
    switch (tag) {
      case ANY_UNDEFINED:
      case ANY_NULL:
      case ANY_FALSE:
      case ANY_TRUE:
        return;
      case ANY_INT:
        return this.varInt();
      case ANY_FLOAT32:
        return this.skip(4);
      case ANY_FLOAT64:
        return this.skip(8);
      case ANY_STRING:
        return this.string(this.bytes.length);
      case ANY_OBJECT: {
        const fields = this.uint();
        for (let i = 0; i < fields; i++) {
          this.string(this.limits.maxKeyBytes);
          this.value(depth + 1);
        }
        return;
      }
      case ANY_ARRAY: {
        const items = this.uint();
        for (let i = 0; i < items; i++) this.value(depth + 1);
        return;
      }
      default:
        throw new ScanError('content-type', `value type ${tag} is not JSON`);
    }
  }

  private count(what: string, max: number): number {
    const n = this.uint();
    if (n > max) throw new ScanError(what === 'structs' ? 'too-many-structs' : 'too-many-deletes', `${n} ${what}`);
    return n;
  }

  private clock(value: number): number {
    if (value > this.limits.maxClock) throw new ScanError('clock-out-of-range', `clock ${value}`);
    return value;
  }

  /** A struct length: at least one tick (Yjs never writes empty structs). */
  private length(): number {
    const n = this.uint();
    if (n === 0 || n > this.limits.maxClock) throw new ScanError(n === 0 ? 'malformed-update' : 'clock-out-of-range', `struct length ${n}`);
    return n;
  }

  /**
   * A delete range's length: at least one tick. Yjs never writes an empty
   * range, but applies one from a v1 update until it must keep it for later
   * (a clock it lacks): its v2 encoder then throws after the update's structs
   * were integrated, and the room would hold a half-applied update.
   */
  private deleteLength(): number {
    const n = this.uint();
    if (n === 0) throw new ScanError('malformed-update', 'an empty delete range');
    return n;
  }

  private id(): void {
    this.uint();
    this.clock(this.uint());
  }

  private string(maxBytes: number): void {
    const n = this.uint();
    if (n > maxBytes) throw new ScanError('malformed-update', `a ${n}-byte key`);
    this.skip(n);
  }

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new ScanError('malformed-update', 'truncated');
    return this.bytes[this.pos++];
  }

  private skip(n: number): void {
    if (n > this.bytes.length - this.pos) throw new ScanError('malformed-update', 'truncated');
    this.pos += n;
  }

  /** lib0 varuint, refusing anything past 2^53 as lib0 would. */
  private uint(): number {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
      if (value > Number.MAX_SAFE_INTEGER) throw new ScanError('malformed-update', 'integer out of range');
    }
  }

  /** lib0 signed varint: sign and 6 bits in the first byte, then varuint continuation. */
  private varInt(): void {
    let byte = this.byte();
    for (let i = 0; byte & 0x80; i++) {
      if (i > 8) throw new ScanError('malformed-update', 'integer out of range');
      byte = this.byte();
    }
  }
}
