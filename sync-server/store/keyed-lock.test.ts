/** The keyed lock that makes check-and-write atomic in one process: one at a time per key, keys side by side, released on error. */
import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

/** A promise the test settles by hand, so the interleaving is fixed, not timed. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('KeyedLock', () => {
  it('runs the check-and-write of one key one at a time: only the first of three consumes', async () => {
    const lock = new KeyedLock();
    let remaining = 1;
    const consume = () =>
      lock.run('token', async () => {
        const seen = remaining;
        await Promise.resolve(); // a store read in between
        await new Promise((resolve) => setImmediate(resolve));
        if (seen === 0) return false;
        remaining = seen - 1;
        return true;
      });
    expect(await Promise.all([consume(), consume(), consume()])).toEqual([true, false, false]);
    expect(lock.size).toBe(0);
  });

  it('lets different keys run side by side', async () => {
    const lock = new KeyedLock();
    const first = gate();
    const order: string[] = [];
    const a = lock.run('a', async () => {
      await first.promise;
      order.push('a');
    });
    const b = lock.run('b', async () => {
      order.push('b');
    });
    await b;
    expect(order).toEqual(['b']);
    first.open();
    await a;
    expect(order).toEqual(['b', 'a']);
  });

  it('releases the key when a task throws, and passes the error on', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('k', async () => Promise.reject(new Error('store failed')))).rejects.toThrow('store failed');
    expect(await lock.run('k', async () => 'next')).toBe('next');
    expect(lock.size).toBe(0);
  });

  it('keeps the order of arrival within a key', async () => {
    const lock = new KeyedLock();
    const first = gate();
    const order: number[] = [];
    const runs = [
      lock.run('k', async () => {
        await first.promise;
        order.push(1);
      }),
      lock.run('k', async () => {
        order.push(2);
      }),
      lock.run('k', async () => {
        order.push(3);
      }),
    ];
    first.open();
    await Promise.all(runs);
    expect(order).toEqual([1, 2, 3]);
    expect(lock.size).toBe(0);
  });
});
