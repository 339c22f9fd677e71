/**
 * Array parameters as PostgreSQL's text form (`{1,2}`, `{"a","b"}`), built
 * as strings from the start. pg turns a JavaScript array into the same
 * text, but element by element: each is converted, run through two regular
 * expressions and quoted, and the pieces are concatenated one at a time; and
 * the arrays themselves cost ~170 B each once pushed to (V8 grows an empty
 * array to 17 slots). On a cluster owner that was ~2-4 KB of garbage per
 * group commit of one message (docs/PERFORMANCE.md, issue 11, session 15). A
 * string parameter is sent as it is, so PostgreSQL reads the same literal,
 * cast by the statement (`$1::int[]`, `$2::text[]`).
 *
 * A list is the literal's inside, grown one element at a time
 * (`withInteger`, `withText`) from `''` (no element), and closed by
 * `arrayLiteral`.
 */

/** `list` with an integer added (an `int[]` or `bigint[]` element: never NaN or infinite). */
export function withInteger(list: string, integer: number): string {
  return list === '' ? `${integer}` : `${list},${integer}`;
}

/** What PostgreSQL's array input reads as escapes inside a quoted element. */
const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;

/** `list` with a `text[]` element added: quoted (so it may be empty, `NULL`, or hold commas and braces), its `\` and `"` escaped. */
export function withText(list: string, text: string): string {
  const element = `"${NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, '\\$&') : text}"`;
  return list === '' ? element : `${list},${element}`;
}

/** The literal of a list built by `withInteger` or `withText` (`{}` for none). */
export function arrayLiteral(list: string): string {
  return `{${list}}`;
}
