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

/**
 * The range read of every key that starts with `prefix`. '\xff' sorts after
 * the separator and every character of our ids, so it closes the range.
 */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: prefix + '\xff' };
}

/** The key of one entry of a document's update log. */
export function logKey(docName: string, clock: number): string {
  return compositeKey(docName, String(clock).padStart(CLOCK_WIDTH, '0'));
}

/** The range read of a document's whole log. */
export function logRange(docName: string): { gte: string; lt: string } {
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
