/** The device's search over real Y.Docs, kept in IndexedDB (fake-indexeddb) across "reloads". */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf, type Message } from '../../../shared/schema.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { DeviceSearch } from './device-search.js';
import { SearchStore } from './search-store.js';

let userCounter = 0;
const opened: DeviceSearch[] = [];

function deviceSearch(userId: string): DeviceSearch {
  const search = new DeviceSearch(new SearchStore(userId), 0);
  opened.push(search);
  return search;
}

afterEach(async () => {
  for (const search of opened.splice(0)) await search.close(false);
});

const texts = async (search: DeviceSearch, query: string, conversationId?: string) =>
  (await search.search(query, conversationId)).map((hit) => hit.text);

/** Resolves once the search finds (or no longer finds) `query` as expected: changes reach the index in a task of their own. */
async function settled(search: DeviceSearch, query: string, expected: string[]): Promise<void> {
  for (let tries = 0; tries < 50; tries++) {
    if (JSON.stringify(await texts(search, query)) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  expect(await texts(search, query)).toEqual(expected);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const SEGMENT_MESSAGES = 150;

/** How many of `segment item0` .. `segment item<count - 1>` the search finds. */
async function indexedOf(search: DeviceSearch, count: number): Promise<number> {
  let found = 0;
  for (let i = 0; i < count; i++) if ((await texts(search, `item${i}`)).includes(`segment item${i}`)) found++;
  return found;
}

/** A segment arriving: `segment item0` .. `segment item149` in one transaction. */
function writeSegment(doc: Y.Doc): void {
  doc.transact(() => {
    for (let i = 0; i < SEGMENT_MESSAGES; i++) writeMessage(doc, 'bob', `segment item${i}`);
  });
}

/** The segment is indexed 100 per painted frame: none before the first frame, 100 after it, all after the second. */
async function expectOneSlicePerFrame(search: DeviceSearch, paint: () => Promise<void>): Promise<void> {
  await tick();
  expect(await indexedOf(search, SEGMENT_MESSAGES)).toBe(0);
  await paint();
  expect(await indexedOf(search, SEGMENT_MESSAGES)).toBe(100);
  await paint();
  expect(await indexedOf(search, SEGMENT_MESSAGES)).toBe(SEGMENT_MESSAGES);
}

/** Runs `body` with frames painted only when it calls `paint` (each frame's callbacks, then the task after them). */
async function withFrames(body: (paint: () => Promise<void>) => Promise<void>): Promise<void> {
  const frames: FrameRequestCallback[] = [];
  const hadFrames = 'requestAnimationFrame' in globalThis;
  globalThis.requestAnimationFrame = (callback) => frames.push(callback);
  try {
    await body(async () => {
      for (const frame of frames.splice(0)) frame(0);
      await tick();
      await tick();
    });
  } finally {
    if (!hadFrames) Reflect.deleteProperty(globalThis, 'requestAnimationFrame');
  }
}

describe('DeviceSearch', () => {
  it('finds what arrives, follows edits, and never finds a deleted message', async () => {
    const search = deviceSearch(`u${++userCounter}`);
    const doc = new Y.Doc();
    const first = writeMessage(doc, 'alice', '这个周末去爬山');
    search.follow('c1', { doc, whenLocalLoaded: Promise.resolve() });
    await settled(search, '周末', ['这个周末去爬山']);

    writeMessage(doc, 'bob', 'Weekend hiking sounds great');
    await settled(search, 'week', ['Weekend hiking sounds great']);

    const edited: Message = { ...first, text: '下个周末', editedAt: first.createdAt + 1 };
    messagesOf(doc).set(first.id, edited);
    await settled(search, '爬山', []);
    await settled(search, '周末', ['下个周末']);

    messagesOf(doc).set(first.id, { id: first.id, author: 'alice', kind: 'text', text: '', createdAt: first.createdAt, deleted: true });
    // Checked against the document at once, before the index hears of it.
    expect(await texts(search, '周末')).toEqual([]);
  });

  it('indexes a whole segment arriving at once after the next frame, and a single message at once', async () => {
    const frames: FrameRequestCallback[] = [];
    const hadFrames = 'requestAnimationFrame' in globalThis;
    globalThis.requestAnimationFrame = (callback) => frames.push(callback);
    try {
      const search = deviceSearch(`u${++userCounter}`);
      const doc = new Y.Doc();
      search.follow('c1', { doc, whenLocalLoaded: Promise.resolve() });
      writeMessage(doc, 'alice', 'first light');
      await settled(search, 'light', ['first light']);
      // A segment's sync: 150 messages in one update.
      doc.transact(() => {
        for (let i = 0; i < 150; i++) writeMessage(doc, 'bob', `segment line ${i}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(await texts(search, 'segment')).toEqual([]);
      expect(frames.length).toBeGreaterThan(0);
      // A slice of 100 per frame: two frames for 150.
      for (let frame = 0; frame < 2; frame++) {
        for (const callback of frames.splice(0)) callback(0);
        await new Promise((resolve) => setTimeout(resolve, 0));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await settled(search, 'line 149', ['segment line 149']);
    } finally {
      if (!hadFrames) Reflect.deleteProperty(globalThis, 'requestAnimationFrame');
    }
  });

  it('indexes a large change a slice per frame, so no frame waits for all of it (issue 13)', async () => {
    await withFrames(async (paint) => {
      const search = deviceSearch(`u${++userCounter}`);
      const doc = new Y.Doc();
      search.follow('c1', { doc, whenLocalLoaded: Promise.resolve() });
      writeMessage(doc, 'alice', 'first light');
      await settled(search, 'light', ['first light']);
      writeSegment(doc);
      await expectOneSlicePerFrame(search, paint);
    });
  });

  it('indexes a segment that arrived before its local copy loaded (a fresh device) a slice per frame too', async () => {
    await withFrames(async (paint) => {
      const search = deviceSearch(`u${++userCounter}`);
      const doc = new Y.Doc();
      writeSegment(doc);
      search.follow('c1', { doc, whenLocalLoaded: Promise.resolve() });
      await expectOneSlicePerFrame(search, paint);
    });
  });

  it('keeps the index across a reload and learns only what changed meanwhile', async () => {
    const userId = `u${++userCounter}`;
    const doc = new Y.Doc();
    writeMessage(doc, 'alice', 'coffee at nine');
    const removed = writeMessage(doc, 'alice', 'coffee at ten');
    const before = deviceSearch(userId);
    before.follow('c1', { doc, whenLocalLoaded: Promise.resolve() });
    await settled(before, 'coffee', ['coffee at ten', 'coffee at nine']);
    await before.close(true);

    // Offline, next visit, the conversation not opened yet: the saved index answers.
    const after = deviceSearch(userId);
    expect(await texts(after, 'coffee')).toEqual(['coffee at ten', 'coffee at nine']);

    // It opens, and its document had the second message deleted meanwhile (another tab).
    messagesOf(doc).set(removed.id, { ...removed, text: '', deleted: true });
    after.follow('c1', { doc, whenLocalLoaded: Promise.resolve() });
    await settled(after, 'coffee', ['coffee at nine']);
  });

  it('searches one conversation when asked, and keeps people apart', async () => {
    const search = deviceSearch(`u${++userCounter}`);
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    writeMessage(a, 'alice', 'tea in the morning');
    writeMessage(b, 'bob', 'tea in the evening');
    search.follow('a', { doc: a, whenLocalLoaded: Promise.resolve() });
    search.follow('b', { doc: b, whenLocalLoaded: Promise.resolve() });
    await settled(search, 'tea', ['tea in the evening', 'tea in the morning']);
    expect(await texts(search, 'tea', 'a')).toEqual(['tea in the morning']);
    // Someone else on this browser has an index of their own.
    const other = deviceSearch(`u${++userCounter}`);
    expect(await texts(other, 'tea')).toEqual([]);
  });
});
