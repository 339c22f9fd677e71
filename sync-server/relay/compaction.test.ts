/** A document's log is compacted as it grows, off the room's turn, without losing a message or a number. */
import { expect, it } from 'vitest';
import type * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { AppendOutcome, LogBatch } from '../store/document-log.js';
import { logRange } from '../store/keys.js';
import { MemoryDocumentLog } from '../store/memory-document-log.js';
import { directConversation } from '../testing/direct-conversation.js';
import { RoomHarness } from '../testing/room-harness.js';
import { createUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer({ docCompactThreshold: 5 });

it('keeps every message and number through compactions and a restart', async () => {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const docName = convDocName(await directConversation(test.server, ada, bob));
  const writer = test.open(ada, docName);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const { id } = writeMessage(writer.doc, ada.id, `message ${i}`);
    ids.push(id);
    // One at a time, so that each is its own batch and the log really grows.
    await waitFor(writer.doc, () => seqIndexOf(writer.doc).has(id), 10_000, `number for message ${i}`);
  }
  const room = await test.server.context.registry.acquire(docName);
  await room.flushed();
  test.server.context.registry.release(room);
  const entries = await test.server.context.db.docs.keys(logRange(docName)).all();
  expect(entries.length).toBeLessThanOrEqual(6);

  test.closeClients();
  await test.restart();
  const reader = test.open(bob, docName);
  await waitFor(reader.doc, () => seqIndexOf(reader.doc).size === 40, 10_000, 'history after restart');
  expect([...seqIndexOf(reader.doc).values()].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  expect(ids.every((id) => messagesOf(reader.doc).has(id))).toBe(true);
});

it('compacts a user document after a few dozen entries, a conversation only at the threshold', async () => {
  const entriesAfter = async (docName: string, change: (doc: Y.Doc, i: number) => void) => {
    const harness = await RoomHarness.open({ docName, compactThreshold: 500 });
    const device = harness.connect('ada');
    for (let i = 0; i < 100; i++) {
      // One at a time, so that each is its own batch and the log really grows.
      device.change((doc) => change(doc, i));
      await harness.room.flushed();
    }
    const stored = await harness.store.load(docName);
    harness.destroy();
    return stored.entries;
  };
  // A head per round into a person's document: loaded again and again while they are away, so its log stays short.
  expect(await entriesAfter('user/ada', (doc, i) => doc.getMap('heads').set('c1', { text: `message ${i}` }))).toBeLessThanOrEqual(64);
  expect(await entriesAfter('conv/c', (doc, i) => writeMessage(doc, 'ada', `message ${i}`))).toBe(100);
});

/** A log whose first compaction waits until the test lets it finish; counts appends. */
class HeldCompaction extends MemoryDocumentLog {
  appends = 0;
  private readonly appendWaiters: Array<() => void> = [];
  private letCompactionGo: (() => void) | null = null;
  private onCompactionStart: () => void = () => {};
  // Declared after the field it sets: a field initialised later would overwrite what it set.
  readonly compactionStarted = new Promise<void>((started) => (this.onCompactionStart = started));
  private held = false;

  override async append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome> {
    const outcome = await super.append(docName, batch, expectedNextClock);
    this.appends++;
    for (const waiter of this.appendWaiters.splice(0)) waiter();
    return outcome;
  }

  /** Resolves once `count` appends are stored. */
  async appended(count: number): Promise<void> {
    while (this.appends < count) await new Promise<void>((stored) => this.appendWaiters.push(stored));
  }

  override async compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    if (!this.held) {
      this.held = true;
      this.onCompactionStart();
      await new Promise<void>((go) => (this.letCompactionGo = go));
    }
    return super.compact(docName, uptoClock, merged);
  }

  finishCompaction(): void {
    this.letCompactionGo?.();
  }
}

it('compacts again when the batches stored during a compaction took the log past the threshold (no write needed)', async () => {
  const store = new HeldCompaction();
  const harness = await RoomHarness.open({ docName: 'conv/c', compactThreshold: 3, store });
  const device = harness.connect('ada');
  // Four batches: the fourth ends past the threshold and starts a compaction, held.
  for (let i = 0; i < 4; i++) {
    device.change((doc) => writeMessage(doc, 'ada', `before ${i}`));
    await store.appended(i + 1);
  }
  await store.compactionStarted;
  // Five more batches are stored while it runs: the log is their five entries past the merged one.
  for (let i = 0; i < 5; i++) {
    device.change((doc) => writeMessage(doc, 'ada', `during ${i}`));
    await store.appended(5 + i);
  }
  store.finishCompaction();
  await harness.room.flushed();
  expect((await store.load('conv/c')).entries).toBe(1);
  expect(harness.room.logEntryCount).toBe(1);
  harness.destroy();
});
