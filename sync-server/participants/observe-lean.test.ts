/**
 * observeLean (issue 14): the listener list is as long as its listeners, and
 * the type still calls and lets go of them as Yjs's own `observe` does.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { observeLean } from './observe-lean.js';

it('keeps the listener list at its length, calls each listener and lets one go', () => {
  const doc = new Y.Doc();
  const map = doc.getMap<number>('m');
  const seen: string[] = [];
  const first = (event: Y.YMapEvent<number>) => seen.push(`first ${[...event.keysChanged]}`);
  const second = (event: Y.YMapEvent<number>) => seen.push(`second ${[...event.keysChanged]}`);
  observeLean(map, first);
  observeLean(map, second);
  expect(map._eH.l).toEqual([first, second]);

  map.set('a', 1);
  map.unobserve(first);
  map.set('b', 2);
  expect(seen).toEqual(['first a', 'second a', 'second b']);
  expect(map._eH.l).toEqual([second]);
});
