/**
 * rootNamesOf is kept per document (issue 14, session 11): it must name every
 * root as a fresh walk of `doc.share` would, after a root is added and after
 * Yjs replaces the untyped root it made for an update's name with a typed one
 * (`doc.getMap` after `applyUpdate`), so storedPlacement never misses a root.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { rootNamesOf, storedPlacement } from './item-placement.js';

function freshNames(doc: Y.Doc): Map<unknown, string> {
  const names = new Map<unknown, string>();
  for (const [name, type] of doc.share) names.set(type, name);
  return names;
}

describe('rootNamesOf', () => {
  it('follows added roots and a root Yjs replaced by a typed one', () => {
    const writer = new Y.Doc();
    writer.getMap('messages').set('m1', { text: 'hi' });
    writer.getMap('reactions').set('r1', 1);
    const doc = new Y.Doc();
    doc.getMap('messages');
    expect(rootNamesOf(doc)).toEqual(freshNames(doc));
    // `reactions` arrives in an update first: Yjs makes an untyped root for it.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer));
    expect(rootNamesOf(doc)).toEqual(freshNames(doc));
    const untyped = doc.share.get('reactions');
    // Asked for as a map, the root is replaced (same name, same count of roots).
    const typed = doc.getMap('reactions');
    expect(typed).not.toBe(untyped);
    expect(rootNamesOf(doc).get(typed)).toBe('reactions');
    expect(rootNamesOf(doc)).toEqual(freshNames(doc));
    const item = typed._map.get('r1') as Y.Item;
    expect(storedPlacement(item, rootNamesOf(doc))).toEqual({ kind: 'entry', root: 'reactions', key: 'r1' });
    doc.getArray('numbers');
    expect(rootNamesOf(doc)).toEqual(freshNames(doc));
  });
});
