import { expect, it } from 'vitest';
import { useTestDatabase } from '../testing/use-test-database.js';
import { compositeKey, logKey, logRange, parseLogKey, prefixRange, throughPrefix } from './keys.js';

const test = useTestDatabase();

it('joins parts with the separator and reads back what logKey wrote', () => {
  expect(compositeKey('c1', 'u1')).toBe('c1!u1');
  expect(logKey('conv/a', 42)).toBe('conv/a!000000000042');
  expect(parseLogKey(logKey('conv/a', 42))).toEqual({ docName: 'conv/a', clock: 42 });
  expect(parseLogKey('conv/a')).toBeNull();
  expect(parseLogKey('conv/a!x1')).toBeNull();
});

it('reads exactly the keys under a prefix, not those of a longer sibling', async () => {
  const store = test.db.blobRefs;
  for (const key of ['a!1', 'a!2', 'ab!1', 'b!1', 'a']) await store.put(key, true);
  expect(await store.keys(prefixRange('a!')).all()).toEqual(['a!1', 'a!2']);
  await test.db.docs.put(logKey('conv/a', 0), new Uint8Array([1]));
  await test.db.docs.put(logKey('conv/ab', 0), new Uint8Array([2]));
  expect(await test.db.docs.keys(logRange('conv/a')).all()).toEqual([logKey('conv/a', 0)]);
});

it('reads every key under a prefix whatever characters follow it', async () => {
  const store = test.db.blobRefs;
  const keys = ['ан', 'анна!1', 'ан\u{10FFFF}x', 'анz', 'ао', 'зоя', '张三', '张', '🌻a', '🌻🌻'];
  for (const key of keys) await store.put(key, true);
  expect(await store.keys(prefixRange('ан')).all()).toEqual(['ан', 'анz', 'анна!1', 'ан\u{10FFFF}x']);
  expect(await store.keys(prefixRange('张')).all()).toEqual(['张', '张三']);
  expect(await store.keys(prefixRange('🌻')).all()).toEqual(['🌻a', '🌻🌻']);
  expect((await store.keys(prefixRange('')).all()).length).toBe(keys.length);
});

it('reads every key up to and including those under a prefix', async () => {
  const store = test.db.blobRefs;
  for (const key of ['001!a', '002!b', '002!z', '003!a']) await store.put(key, true);
  expect(await store.keys(throughPrefix('002!')).all()).toEqual(['001!a', '002!b', '002!z']);
});
