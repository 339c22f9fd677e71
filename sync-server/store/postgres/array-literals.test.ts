/**
 * The array literals the group commit writes itself (array-literals.ts),
 * read back by a real PostgreSQL: every element comes back as it was, so
 * the literal is exactly what pg's own quoting of a JavaScript array meant.
 */
import { expect, it } from 'vitest';
import { useTestSchema } from '../../testing/use-test-schema.js';
import { arrayLiteral, withInteger, withText } from './array-literals.js';

const pg = useTestSchema();

const textsOf = (texts: readonly string[]) => arrayLiteral(texts.reduce(withText, ''));
const integersOf = (integers: readonly number[]) => arrayLiteral(integers.reduce(withInteger, ''));

it('reads back texts with quotes, backslashes, commas, braces, spaces, NULL, empty strings and any Unicode as they were', async () => {
  const texts = [
    '',
    'NULL',
    'null',
    'a,b',
    '{x}',
    '"',
    '\\',
    '\\"',
    'quote"d',
    'back\\slash',
    ' spaced ',
    'tab\there\nline',
    'ünï 😀',
    '{"json": "\\u00e9"}',
  ];
  const { rows } = await pg.pool.query('SELECT $1::text[] AS texts', [textsOf(texts)]);
  expect(rows[0].texts).toEqual(texts);
});

it('reads back integers, negative and up to 2^53 - 1, as int[] and bigint[]; no element is an empty array', async () => {
  const ints = [0, 1, -1, 2_147_483_647, -2_147_483_648];
  const bigints = [...ints, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
  const { rows } = await pg.pool.query(
    'SELECT $1::int[] AS ints, $2::bigint[]::text[] AS bigints, $3::int[] AS none, $4::text[] AS no_texts',
    [integersOf(ints), integersOf(bigints), integersOf([]), textsOf([])],
  );
  expect(rows[0]).toEqual({ ints, bigints: bigints.map(String), none: [], no_texts: [] });
});
