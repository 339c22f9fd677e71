/**
 * The queue behind both group commits (turn-groups.ts), with a writer the
 * test holds and lets go of: what one turn queues is one group; groups on
 * their way at once are bounded; one key's items never ride two groups on
 * their way at once, and go in the order they came; a writer that throws
 * fails its group only.
 */
import { expect, it } from 'vitest';
import { type TurnGroupItem, TurnGroups } from './turn-groups.js';

interface Item extends TurnGroupItem {
  key: string;
  label: string;
  done(): void;
}

/** A writer whose groups wait until the test lets each go (or fail). */
function heldWriter() {
  const writing: Array<{ labels: string[]; go(): void; fail(error: Error): void }> = [];
  const waiters: Array<() => void> = [];
  const write = (group: Item[]) =>
    new Promise<void>((resolve, reject) => {
      const labels = group.map((item) => item.label);
      writing.push({
        labels,
        go() {
          for (const item of group) item.done();
          resolve();
        },
        fail: reject,
      });
      for (const waiter of waiters.splice(0)) waiter();
    });
  /** Resolves once `count` groups have been handed to the writer. */
  const started = async (count: number) => {
    while (writing.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { write, writing, started };
}

function enqueue(queue: TurnGroups<Item>, label: string, key = label): { answer: Promise<string> } {
  let done!: () => void;
  let failed!: (error: unknown) => void;
  const answer = new Promise<string>((resolve, reject) => {
    done = () => resolve(label);
    failed = reject;
  });
  queue.add({ key, label, done, failed });
  return { answer };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

it('writes what one turn queued as one group, and with one in flight gathers what came meanwhile into the next', async () => {
  const writer = heldWriter();
  const queue = new TurnGroups<Item>({ write: writer.write });
  const first = [enqueue(queue, 'a'), enqueue(queue, 'b')];
  await writer.started(1);
  const later = [enqueue(queue, 'c')];
  await nextTurn();
  later.push(enqueue(queue, 'd'));
  await nextTurn();
  expect(writer.writing.map((group) => group.labels)).toEqual([['a', 'b']]);
  writer.writing[0].go();
  expect(await Promise.all(first.map((item) => item.answer))).toEqual(['a', 'b']);
  await writer.started(2);
  expect(writer.writing[1].labels).toEqual(['c', 'd']);
  writer.writing[1].go();
  await Promise.all(later.map((item) => item.answer));
  expect({ groups: queue.groups, items: queue.items, mostInFlight: queue.mostInFlight }).toEqual({ groups: 2, items: 4, mostInFlight: 1 });
});

it('starts a group per turn while fewer than maxInFlight are on their way, and the next when one finishes', async () => {
  const writer = heldWriter();
  const queue = new TurnGroups<Item>({ write: writer.write, maxInFlight: 3 });
  for (const label of ['a', 'b', 'c', 'd']) {
    enqueue(queue, label);
    await nextTurn();
  }
  await writer.started(3);
  expect(writer.writing.map((group) => group.labels)).toEqual([['a'], ['b'], ['c']]);
  writer.writing[1].go();
  await writer.started(4);
  expect(writer.writing[3].labels).toEqual(['d']);
  expect(queue.mostInFlight).toBe(3);
});

it("holds an item whose key is on its way for a later group, keeping one key's items in the order they came", async () => {
  const writer = heldWriter();
  const queue = new TurnGroups<Item>({ write: writer.write, maxInFlight: 4, keyOf: (item) => item.key });
  const order: string[] = [];
  const track = ({ answer }: { answer: Promise<string> }) => answer.then((label) => order.push(label));
  const answers = [track(enqueue(queue, 'x1', 'x'))];
  await writer.started(1);
  // x's second and third items, and y's: y goes at once; x2 waits for x1's group, then x3 for x2's.
  answers.push(track(enqueue(queue, 'x2', 'x')), track(enqueue(queue, 'x3', 'x')), track(enqueue(queue, 'y1', 'y')));
  await writer.started(2);
  expect(writer.writing.map((group) => group.labels)).toEqual([['x1'], ['y1']]);
  writer.writing[1].go();
  writer.writing[0].go();
  await writer.started(3);
  expect(writer.writing[2].labels).toEqual(['x2']);
  writer.writing[2].go();
  await writer.started(4);
  expect(writer.writing[3].labels).toEqual(['x3']);
  writer.writing[3].go();
  await Promise.all(answers);
  expect(order).toEqual(['y1', 'x1', 'x2', 'x3']);
});

it('fails every item of a group whose writer throws, and writes the next group', async () => {
  const writer = heldWriter();
  const queue = new TurnGroups<Item>({ write: writer.write });
  const failing = [enqueue(queue, 'a'), enqueue(queue, 'b')];
  await writer.started(1);
  const next = enqueue(queue, 'c');
  writer.writing[0].fail(new Error('disk full'));
  expect(await Promise.allSettled(failing.map((item) => item.answer))).toEqual([
    { status: 'rejected', reason: new Error('disk full') },
    { status: 'rejected', reason: new Error('disk full') },
  ]);
  await writer.started(2);
  writer.writing[1].go();
  expect(await next.answer).toBe('c');
});

it("frees a failed group's keys: the key's next item goes in the next group", async () => {
  const writer = heldWriter();
  const queue = new TurnGroups<Item>({ write: writer.write, maxInFlight: 2, keyOf: (item) => item.key });
  const failing = enqueue(queue, 'x1', 'x');
  await writer.started(1);
  const next = enqueue(queue, 'x2', 'x');
  writer.writing[0].fail(new Error('statement failed'));
  await expect(failing.answer).rejects.toThrow('statement failed');
  await writer.started(2);
  expect(writer.writing[1].labels).toEqual(['x2']);
  writer.writing[1].go();
  expect(await next.answer).toBe('x2');
});
