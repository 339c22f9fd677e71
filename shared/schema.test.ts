/** The root maps' readers (schema.ts): a root taken from `doc.share` is the one Yjs's `getMap` gives, typed. */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { ConvRoot, messagesOf, metaOf } from './schema.js';

it('gives the typed root map, also when an update made the root before anyone asked for it', () => {
  const writer = new Y.Doc();
  writer.getMap(ConvRoot.messages).set('m1', { text: 'hi' });
  writer.getMap(ConvRoot.meta).set('kind', 'group');
  const reader = new Y.Doc();
  // Applied before any getMap: Yjs keeps both roots untyped until they are asked for by type.
  Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
  expect(reader.share.get(ConvRoot.messages)).not.toBeInstanceOf(Y.Map);
  const messages = messagesOf(reader);
  expect(messages).toBeInstanceOf(Y.Map);
  expect(messages.get('m1')).toEqual({ text: 'hi' });
  expect(messagesOf(reader)).toBe(messages);
  expect(messagesOf(reader)).toBe(reader.getMap(ConvRoot.messages));
  expect(metaOf(reader)).toBeInstanceOf(Y.Map);
  expect(metaOf(reader).get('kind')).toBe('group');
  // A document with no such root yet gets one made.
  const empty = new Y.Doc();
  expect(metaOf(empty)).toBe(empty.getMap(ConvRoot.meta));
});
