/**
 * How the store builds and reads its keys. Sublevels keep composite keys
 * (`convId!userId`, `docName!clock`) so that "everything of one owner" is a
 * single range read; this module is the one place that knows the separator,
 * the range that covers a prefix, and the shape of a document log key.
 */

/** Separator of composite keys; ids never contain it (see shared/doc-names.ts). */
export const KEY_SEPARATOR = '!';

/** Log clocks are zero-padded so that keys sort in clock order. */
const CLOCK_WIDTH = 12;

/** The parts joined by the separator: `compositeKey('c1', 'u1')` is `c1!u1`. */
export function compositeKey(...parts: Array<string | number>): string {
  return parts.join(KEY_SEPARATOR);
}

/** The start shared by every key under these parts: `keyPrefix('u1')` is `u1!`. */
export function keyPrefix(...parts: Array<string | number>): string {
  return compositeKey(...parts) + KEY_SEPARATOR;
}

/**
 * The range read of every key that starts with `prefix`: from the prefix up
 * to (not including) the first string after all of them. String keys sort by
 * their UTF-8 bytes, which is code point order, so that bound is the prefix
 * with its last code point one higher. (A fixed '\xff' bound would leave out
 * keys that continue with a character above U+00FF: Cyrillic, CJK, emoji.)
 */
export function prefixRange(prefix: string): { gte: string; lt?: string } {
  const end = after(prefix);
  return end === null ? { gte: prefix } : { gte: prefix, lt: end };
}

/** The range read of every key up to and including those that start with `prefix` (e.g. everything due by a time). */
export function throughPrefix(prefix: string): { lt?: string } {
  const end = after(prefix);
  return end === null ? {} : { lt: end };
}

/** The first string greater than every string starting with `prefix`; null when there is none (empty, or all U+10FFFF). */
function after(prefix: string): string | null {
  const points = Array.from(prefix, (char) => char.codePointAt(0) ?? 0);
  for (let i = points.length - 1; i >= 0; i--) {
    if (points[i] === 0x10ffff) continue;
    // The surrogate range holds no characters of its own: the next one after U+D7FF is U+E000.
    const next = points[i] + 1 === 0xd800 ? 0xe000 : points[i] + 1;
    return String.fromCodePoint(...points.slice(0, i), next);
  }
  return null;
}

/** The key of one entry of a document's update log. */
export function logKey(docName: string, clock: number): string {
  return compositeKey(docName, String(clock).padStart(CLOCK_WIDTH, '0'));
}

/** The range read of a document's whole log. */
export function logRange(docName: string): { gte: string; lt?: string } {
  return prefixRange(docName + KEY_SEPARATOR);
}

/** The document and clock of a log key (the inverse of `logKey`); null for a key of another shape. */
export function parseLogKey(key: string): { docName: string; clock: number } | null {
  const at = key.lastIndexOf(KEY_SEPARATOR);
  if (at <= 0) return null;
  const digits = key.slice(at + 1);
  if (!/^\d+$/.test(digits)) return null;
  return { docName: key.slice(0, at), clock: Number(digits) };
}
