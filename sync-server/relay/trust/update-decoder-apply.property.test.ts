/**
 * Property: the room applies a client's update with the validator's decoder
 * (`applyUpdate` in update-decoder.ts, issue 14, session 15) and gets exactly
 * the document `Y.applyUpdate` makes. Random edits on several replicas (map
 * entries, arrays, text with formats and embeds, XML elements, binary values,
 * deletes; short, long and non-ASCII strings in values, keys and root names)
 * are applied to two documents in the same random order, one decoder each,
 * and then the same updates with their bytes mutated, as an attacker would
 * send them: the same state, the same pending structs, the same updates
 * emitted and the same errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '../../testing/seeded-random.js';
import { mutateUpdate } from '../../testing/update-mutations.js';
import { applyUpdate } from './update-decoder.js';

/** Strings of every kind the decoders tell apart: ASCII or not, under and over the fast path's 48 bytes. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 70 }),
  fc.string({ minLength: 40, maxLength: 120 }),
  fc.constantFrom('__proto__', 'constructor', 'é', '👍', ''),
);

/** A field named "constructor" makes Yjs refuse the value (it reads `value.constructor`); every other key is fair. */
const field = text.filter((key) => key !== 'constructor');

const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true }),
    text,
    fc.array(tie('any'), { maxLength: 3 }),
    fc.dictionary(field, tie('any'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).any as fc.Arbitrary<unknown>;

type Edit =
  | { kind: 'set'; root: string; key: string; value: unknown }
  | { kind: 'setBinary'; root: string; key: string; bytes: Uint8Array }
  | { kind: 'deleteKey'; root: string; pick: number }
  | { kind: 'push'; values: unknown[] }
  | { kind: 'deleteItems'; at: number; length: number }
  | { kind: 'insertText'; at: number; text: string; format: Record<string, unknown> | null }
  | { kind: 'embed'; at: number; embed: Record<string, unknown> }
  | { kind: 'formatText'; at: number; length: number; key: string; value: unknown }
  | { kind: 'deleteText'; at: number; length: number }
  | { kind: 'xml'; name: string; attribute: string; value: string; text: string }
  | { kind: 'nestedMap'; key: string; inner: string; value: unknown }
  | { kind: 'sync' };

/** Map roots; the other three names are the array's, the text's and the XML fragment's. */
const root = fc.oneof(
  fc.constantFrom('messages', 'meta'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((name) => !['numbers', 'body', 'page'].includes(name)),
);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), root, key: text, value }),
  fc.record({ kind: fc.constant('setBinary' as const), root, key: text, bytes: fc.uint8Array({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant('deleteKey' as const), root, pick: fc.nat() }),
  fc.record({ kind: fc.constant('push' as const), values: fc.array(value, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('deleteItems' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    kind: fc.constant('insertText' as const),
    at: fc.nat(),
    text: fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
    format: fc.option(fc.dictionary(field, value, { minKeys: 1, maxKeys: 2, noNullPrototype: true })),
  }),
  fc.record({
    kind: fc.constant('embed' as const),
    at: fc.nat(),
    embed: fc.dictionary(field, value, { maxKeys: 3, noNullPrototype: true }),
  }),
  fc.record({ kind: fc.constant('formatText' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 5 }), key: text, value }),
  fc.record({ kind: fc.constant('deleteText' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
  fc.record({
    kind: fc.constant('xml' as const),
    name: fc.stringMatching(/^[a-zé][a-z0-9-]{0,60}$/),
    attribute: fc.stringMatching(/^[a-zé][a-z-]{0,10}$/),
    value: fc.string({ unit: 'binary', maxLength: 60 }),
    text: fc.string({ unit: 'binary', maxLength: 60 }),
  }),
  fc.record({ kind: fc.constant('nestedMap' as const), key: text, inner: text, value }),
  fc.constant({ kind: 'sync' as const }),
);

function perform(doc: Y.Doc, change: Edit, others: Y.Doc[]): void {
  switch (change.kind) {
    case 'set':
      doc.getMap(change.root).set(change.key, change.value);
      return;
    case 'setBinary':
      doc.getMap(change.root).set(change.key, change.bytes);
      return;
    case 'deleteKey': {
      const map = doc.getMap(change.root);
      const keys = [...map.keys()];
      if (keys.length > 0) map.delete(keys[change.pick % keys.length]);
      return;
    }
    case 'push':
      doc.getArray('numbers').push(change.values);
      return;
    case 'deleteItems': {
      const array = doc.getArray('numbers');
      if (array.length === 0) return;
      const at = change.at % array.length;
      array.delete(at, Math.min(change.length, array.length - at));
      return;
    }
    case 'insertText': {
      const body = doc.getText('body');
      body.insert(change.at % (body.length + 1), change.text, change.format ?? undefined);
      return;
    }
    case 'embed': {
      const body = doc.getText('body');
      body.insertEmbed(change.at % (body.length + 1), change.embed);
      return;
    }
    case 'formatText': {
      const body = doc.getText('body');
      if (body.length === 0) return;
      const at = change.at % body.length;
      body.format(at, Math.min(change.length, body.length - at), { [change.key]: change.value });
      return;
    }
    case 'deleteText': {
      const body = doc.getText('body');
      if (body.length === 0) return;
      const at = change.at % body.length;
      body.delete(at, Math.min(change.length, body.length - at));
      return;
    }
    case 'xml': {
      const element = new Y.XmlElement(change.name);
      element.setAttribute(change.attribute, change.value);
      element.insert(0, [new Y.XmlText(change.text)]);
      doc.getXmlFragment('page').push([element]);
      return;
    }
    case 'nestedMap': {
      const inner = new Y.Map<unknown>();
      inner.set(change.inner, change.value);
      doc.getMap('meta').set(change.key, inner);
      return;
    }
    case 'sync':
      // Edits on top of another replica's make updates that reference other clients' structs (origins, deletes).
      for (const other of others) Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
      return;
  }
}

/** Every update the edits emit, replica by replica (three replicas: three client ids). */
function updatesOf(edits: Array<[number, Edit]>): Uint8Array[] {
  const replicas = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const updates: Uint8Array[] = [];
  for (const replica of replicas) replica.on('update', (update: Uint8Array, origin: unknown) => origin !== 'sync' && updates.push(update));
  for (const [index, change] of edits) {
    const doc = replicas[index % replicas.length];
    doc.transact(() => perform(doc, change, replicas), change.kind === 'sync' ? 'sync' : null);
  }
  return updates;
}

/** What a document holds, as bytes and as Yjs's own pending state: equal for equal documents. */
function stateOf(doc: Y.Doc): unknown {
  let update: Uint8Array | string;
  try {
    update = Y.encodeStateAsUpdate(doc);
  } catch (error) {
    // Some mutated bytes leave Yjs's store broken (the room reloads then): both decoders must break it alike.
    update = `cannot encode: ${String(error)}`;
  }
  return { update, pendingStructs: doc.store.pendingStructs?.update ?? null, pendingDs: doc.store.pendingDs };
}

/** Applies `updates` in order to a fresh document with `apply`; the outcome of each, and the updates it emitted. */
function applyAll(updates: Uint8Array[], apply: (doc: Y.Doc, update: Uint8Array) => void): { state: unknown; log: unknown[] } {
  const doc = new Y.Doc({ gc: true });
  const log: unknown[] = [];
  doc.on('update', (update: Uint8Array) => log.push(update));
  for (const update of updates) {
    try {
      apply(doc, update);
      log.push('applied');
    } catch (error) {
      log.push(`threw ${String(error)}`);
    }
  }
  return { state: stateOf(doc), log };
}

const origin = { connection: 1 };
const withYjs = (doc: Y.Doc, update: Uint8Array) => Y.applyUpdate(doc, update, origin);
const withOurs = (doc: Y.Doc, update: Uint8Array) => applyUpdate(doc, update, origin);

describe("the room's applyUpdate with the validator's decoder", () => {
  it('makes the document Y.applyUpdate makes, for random edits applied in a random order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), edit), { minLength: 1, maxLength: 25 }), fc.nat(), (edits, seed) => {
        const updates = updatesOf(edits);
        const random = seededRandom(seed);
        // Out of order, some updates wait for predecessors: the pending structs must match too.
        const shuffled = updates
          .map((update) => [random(), update] as const)
          .sort(([a], [b]) => a - b)
          .map(([, update]) => update);
        const ours = applyAll(shuffled, withOurs);
        expect(ours).toStrictEqual(applyAll(shuffled, withYjs));
        // And in order, the document is the writers' document.
        const inOrder = applyAll(updates, withOurs);
        expect(inOrder).toStrictEqual(applyAll(updates, withYjs));
      }),
      { numRuns: 300 },
    );
  });

  it('applies a merged update of everything as Y.applyUpdate does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), edit), { minLength: 1, maxLength: 25 }), (edits) => {
        const merged = Y.mergeUpdates(updatesOf(edits));
        expect(applyAll([merged], withOurs)).toStrictEqual(applyAll([merged], withYjs));
      }),
      { numRuns: 200 },
    );
  });

  it('changes and throws as Y.applyUpdate does on mutated bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), edit), { minLength: 1, maxLength: 12 }), fc.nat(), (edits, seed) => {
        const random = seededRandom(seed);
        const mutated = updatesOf(edits).map((update) => (random() < 0.5 ? mutateUpdate(update, random) : update));
        expect(applyAll(mutated, withOurs)).toStrictEqual(applyAll(mutated, withYjs));
      }),
      { numRuns: 300 },
    );
  });

  it('reads a long non-ASCII message text, a "__proto__" key and a 48-byte root name as Yjs does', () => {
    const updates = updatesOf([
      [0, { kind: 'set', root: 'messages', key: '__proto__', value: { text: 'é'.repeat(200), id: 'x'.repeat(48) } }],
      [1, { kind: 'set', root: 'r'.repeat(48), key: 'k'.repeat(49), value: 'ascii'.repeat(10) }],
      [2, { kind: 'insertText', at: 0, text: '👍 hello', format: { bold: true } }],
    ]);
    const ours = applyAll(updates, withOurs);
    expect(ours).toStrictEqual(applyAll(updates, withYjs));
    expect(ours.log.filter((entry) => entry === 'applied')).toHaveLength(updates.length);
  });
});
