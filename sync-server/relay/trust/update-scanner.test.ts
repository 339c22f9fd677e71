/** The pre-check of update bytes: real updates pass, crafted ones stop at the first bound. */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf, readsOf } from '../../../shared/schema.js';
import { captureUpdate } from '../../../shared/testing/update-capture.js';
import { seededRandom } from '../../testing/seeded-random.js';
import { DEFAULT_UPDATE_LIMITS, scanUpdate } from './update-scanner.js';

function bytes(...varuints: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const n of varuints) encoding.writeVarUint(encoder, n);
  return encoding.toUint8Array(encoder);
}

/** A document with messages, an edit chain, a delete and a read marker: every struct kind our clients send. */
function realisticDoc(): Y.Doc {
  const doc = new Y.Doc();
  const messages = messagesOf(doc);
  for (let i = 0; i < 20; i++) {
    messages.set(`m${i}`, {
      id: `m${i}`,
      author: 'a',
      kind: 'text',
      text: `hello ${i} ✓`,
      createdAt: 1.5 + i,
      attachments: [{ blobId: 'b', mime: 'image/png', width: 3 }],
    });
  }
  messages.set('m1', { id: 'm1', author: 'a', kind: 'text', text: '', createdAt: -1, deleted: true });
  messages.delete('m2');
  for (let i = 0; i < 5; i++) readsOf(doc).set('a', i * 1000);
  return doc;
}

/** A document of two clients, and a third client's update (one map entry) to give delete sets to. */
function deleteSetScene(): { state: Uint8Array; structs: Uint8Array; clients: number[] } {
  const doc = new Y.Doc();
  doc.clientID = 1;
  for (let i = 0; i < 6; i++) readsOf(doc).set(`k${i}`, i);
  readsOf(doc).delete('k2');
  const other = new Y.Doc();
  other.clientID = 2;
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  readsOf(other).set('k1', 10);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  const writer = new Y.Doc();
  writer.clientID = 7;
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc));
  const structs = captureUpdate(writer, (d) => readsOf(d).set('mine', 1));
  // Its delete set is empty: "0 clients", the last byte.
  expect(Y.decodeUpdate(structs).ds.clients.size).toBe(0);
  return { state: Y.encodeStateAsUpdate(doc), structs: structs.subarray(0, -1), clients: [1, 2, 7, 125] };
}

/** `structs` (an update without its delete set) followed by `ranges` as a delete set, in the order given. */
function withDeleteSet(structs: Uint8Array, ranges: ReadonlyArray<readonly [client: number, clock: number, len: number]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8Array(encoder, structs);
  encoding.writeVarUint(encoder, ranges.length);
  for (const [client, clock, len] of ranges) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint(encoder, len);
  }
  return encoding.toUint8Array(encoder);
}

describe('scanUpdate', () => {
  it('passes real updates and counts their structs', () => {
    const doc = realisticDoc();
    const update = Y.encodeStateAsUpdate(doc);
    const result = scanUpdate(update);
    expect(result).toEqual({ ok: true, structs: Y.decodeUpdate(update).structs.length, deleteRanges: expect.any(Number) });
    expect(scanUpdate(Uint8Array.from([0, 0]))).toEqual({ ok: true, structs: 0, deleteRanges: 0 });
  });

  it('stops a claimed struct count before anything is allocated', () => {
    expect(scanUpdate(Uint8Array.from([1, 0x80, 0xda, 0xc4, 0x09, 0, 0]))).toMatchObject({ ok: false, rule: 'too-many-structs' });
    expect(scanUpdate(bytes(DEFAULT_UPDATE_LIMITS.maxStructs + 1))).toMatchObject({ ok: false, rule: 'too-many-structs' });
  });

  it('refuses clocks and lengths past the bound (a GC struct of 2^50 ticks)', () => {
    expect(scanUpdate(bytes(1, 1, 7, 0, 0, 2 ** 50, 0))).toMatchObject({ ok: false, rule: 'clock-out-of-range' });
    expect(scanUpdate(bytes(1, 1, 7, 2 ** 40, 0, 1, 0))).toMatchObject({ ok: false, rule: 'clock-out-of-range' });
    expect(scanUpdate(bytes(0, 1, 7, 1, 0, 2 ** 40))).toMatchObject({ ok: false, rule: 'clock-out-of-range' });
  });

  it('refuses content our documents never hold', () => {
    const text = new Y.Doc();
    text.getMap('messages').set('k', new Y.Text('nested'));
    expect(scanUpdate(Y.encodeStateAsUpdate(text))).toMatchObject({ ok: false, rule: 'nested-type' });
    const plainText = new Y.Doc();
    plainText.getText('messages').insert(0, 'abc');
    expect(scanUpdate(Y.encodeStateAsUpdate(plainText))).toMatchObject({ ok: false, rule: 'content-type' });
    const binary = new Y.Doc();
    binary.getMap('messages').set('k', new Uint8Array([1, 2, 3]));
    expect(scanUpdate(Y.encodeStateAsUpdate(binary))).toMatchObject({ ok: false, rule: 'content-type' });
    const inAny = new Y.Doc();
    inAny.getMap('messages').set('k', { blob: new Uint8Array([1]) });
    expect(scanUpdate(Y.encodeStateAsUpdate(inAny))).toMatchObject({ ok: false, rule: 'content-type' });
  });

  it('refuses truncated updates, trailing bytes, deep nesting and long keys', () => {
    const update = Y.encodeStateAsUpdate(realisticDoc());
    for (const cut of [1, 5, update.length >> 1, update.length - 1]) {
      expect(scanUpdate(update.subarray(0, cut))).toMatchObject({ ok: false, rule: 'malformed-update' });
    }
    expect(scanUpdate(Uint8Array.from([...update, 0]))).toMatchObject({ ok: false, rule: 'malformed-update' });
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const deepDoc = new Y.Doc();
    deepDoc.getMap('messages').set('k', deep);
    expect(scanUpdate(Y.encodeStateAsUpdate(deepDoc))).toMatchObject({ ok: false, rule: 'malformed-update' });
    const longKey = new Y.Doc();
    longKey.getMap('messages').set('k'.repeat(2000), 1);
    expect(scanUpdate(Y.encodeStateAsUpdate(longKey))).toMatchObject({ ok: false, rule: 'malformed-update' });
  });

  it('refuses updates over the byte bound and delete sets over the range bound', () => {
    expect(scanUpdate(new Uint8Array(DEFAULT_UPDATE_LIMITS.maxBytes + 1))).toMatchObject({ ok: false, rule: 'update-too-large' });
    expect(scanUpdate(bytes(0, 1, 7, DEFAULT_UPDATE_LIMITS.maxDeleteRanges + 1))).toMatchObject({ ok: false, rule: 'too-many-deletes' });
  });

  // Relay fuzz seed 493581: Yjs integrated the structs, then threw on an empty range it had to keep for later.
  it('refuses an empty delete range', () => {
    const { state, structs } = deleteSetScene();
    const update = withDeleteSet(structs, [[125, 0, 0]]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    expect(() => Y.applyUpdate(doc, update)).toThrow();
    expect(readsOf(doc).get('mine')).toBe(1);
    expect(scanUpdate(update)).toEqual({ ok: false, rule: 'malformed-update', detail: 'an empty delete range' });
    expect(scanUpdate(withDeleteSet(structs, [[1, 3, 0]]))).toMatchObject({ ok: false, rule: 'malformed-update' });
  });

  it('passes only delete sets Yjs applies whole (1,000 random ones: unsorted, overlapping, past the state)', () => {
    const { state, structs, clients } = deleteSetScene();
    const random = seededRandom(20261206);
    const pick = (n: number) => Math.floor(random() * n);
    let passed = 0;
    const thrown: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const ranges = Array.from({ length: 1 + pick(4) }, () => [clients[pick(clients.length)], pick(12), pick(8)] as const);
      const update = withDeleteSet(structs, ranges);
      if (!scanUpdate(update).ok) continue;
      passed++;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      try {
        Y.applyUpdate(doc, update);
      } catch (error) {
        thrown.push(`${JSON.stringify(ranges)}: ${error}`);
      }
    }
    expect(thrown).toEqual([]);
    expect(passed).toBeGreaterThan(250);
  });

  it('agrees with Yjs on layout (10,000 mutations of a real update)', () => {
    const update = Y.encodeStateAsUpdate(realisticDoc());
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let passed = 0;
    for (let i = 0; i < 10_000; i++) {
      const mutated = update.slice();
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--)
        mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      if (!scanUpdate(mutated).ok) continue;
      passed++;
      // The one thing the scanner leaves to the decoder: strings must be valid UTF-8.
      try {
        Y.decodeUpdate(mutated);
      } catch (error) {
        expect(String(error)).toMatch(/utf-8/);
      }
    }
    expect(passed).toBeGreaterThan(100);
  });
});
