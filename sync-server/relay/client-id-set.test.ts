import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ClientIdSet } from './client-id-set.js';

type Step = { add: number } | { delete: number };

it('answers as a Set of the same adds and deletes, in the same order', () => {
  const id = fc.integer({ min: 0, max: 4 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    id.map((n) => ({ add: n })),
    id.map((n) => ({ delete: n })),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
      const ids = new ClientIdSet();
      const expected = new Set<number>();
      for (const s of steps) {
        if ('add' in s) {
          ids.add(s.add);
          expected.add(s.add);
        } else expect(ids.delete(s.delete)).toBe(expected.delete(s.delete));
        expect(ids.size).toBe(expected.size);
        for (let n = 0; n <= 4; n++) expect(ids.has(n)).toBe(expected.has(n));
        expect([...ids]).toEqual([...expected]);
        const visited: number[] = [];
        ids.forEach((n) => visited.push(n));
        expect(visited).toEqual([...expected]);
      }
    }),
  );
});

it('holds no id of -1 while empty', () => {
  const ids = new ClientIdSet();
  expect(ids.has(-1)).toBe(false);
  expect(ids.delete(-1)).toBe(false);
  expect(ids.size).toBe(0);
});
