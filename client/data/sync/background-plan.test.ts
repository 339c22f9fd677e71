/** Background sync's plan and the record of local copies it reads (issue 12): pure, no network. */
import { describe, expect, it } from 'vitest';
import type { Head } from '../../../shared/heads.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { backgroundPlan, DEFAULT_BACKGROUND_BOUNDS, type PlanInput } from './background-plan.js';
import { LocalCopies } from './local-copies.js';

const NOW = 1_800_000_000_000;
const DAY = 24 * 3600_000;

function head(seq: number, at: number): Head {
  return { seq, at, author: 'bob', kind: 'text', preview: 'hi', readSeq: 0 };
}

function input(heads: Record<string, Head>, local: Record<string, number> = {}, overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    conversations: Object.keys(heads).map((id) => ({ id })),
    head: (id) => heads[id],
    localSeq: (id) => local[id] ?? 0,
    bytesHeld: 0,
    now: NOW,
    bounds: DEFAULT_BACKGROUND_BOUNDS,
    ...overrides,
  };
}

describe('backgroundPlan', () => {
  it('lists conversations whose head is ahead of the local copy, newest activity first', () => {
    const heads = { a: head(3, NOW - 3000), b: head(5, NOW - 1000), c: head(2, NOW - 2000) };
    expect(backgroundPlan(input(heads, { c: 2 }))).toEqual(['b', 'a']);
  });

  it('skips ended conversations and those without a head', () => {
    const plan = backgroundPlan({
      ...input({ a: head(1, NOW) }),
      conversations: [{ id: 'a', ended: 'removed' }, { id: 'b' }],
    });
    expect(plan).toEqual([]);
  });

  it('keeps to the most recently active conversations, the age bound and the byte bound', () => {
    const heads: Record<string, Head> = {};
    for (let i = 0; i < 80; i++) heads[`c${i}`] = head(1, NOW - i * 1000);
    heads.old = head(9, NOW - 30 * DAY);
    const plan = backgroundPlan(input(heads));
    expect(plan).toHaveLength(DEFAULT_BACKGROUND_BOUNDS.maxConversations);
    expect(plan[0]).toBe('c0');
    expect(plan).not.toContain('old');
    // A stale conversation among the most recent does not let a 51st one in.
    expect(backgroundPlan(input(heads, { c0: 1 }))).not.toContain(`c${DEFAULT_BACKGROUND_BOUNDS.maxConversations}`);
    expect(backgroundPlan(input(heads, {}, { bytesHeld: DEFAULT_BACKGROUND_BOUNDS.maxBytes }))).toEqual([]);
  });
});

describe('LocalCopies', () => {
  it('keeps what each copy holds across sessions, and the bytes of background copies only', () => {
    const storage = memoryStorage();
    const copies = new LocalCopies('ann', storage);
    copies.record('a', 4, 1000, true);
    copies.record('b', 2, 500, false);
    // Opened by the person after background sync: theirs from then on.
    copies.record('a', 5, 1200, false);
    copies.record('c', 1, 300, true);
    const again = new LocalCopies('ann', storage);
    expect([again.seq('a'), again.seq('b'), again.seq('c'), again.seq('none')]).toEqual([5, 2, 1, 0]);
    expect(again.backgroundBytes()).toBe(300);
    expect(new LocalCopies('bob', storage).seq('a')).toBe(0);
    again.clear();
    expect(new LocalCopies('ann', storage).seq('a')).toBe(0);
  });

  it('reads past a damaged record', () => {
    const storage = memoryStorage();
    storage.setItem('happychat.local-copies.ann', '{"a":{"seq":"x"},"b":{"seq":2,"bytes":1,"background":true}');
    expect(new LocalCopies('ann', storage).seq('b')).toBe(0);
    storage.setItem('happychat.local-copies.ann', '{"a":{"seq":"x"},"b":{"seq":2,"bytes":1,"background":true}}');
    const copies = new LocalCopies('ann', storage);
    expect([copies.seq('a'), copies.seq('b')]).toEqual([0, 2]);
  });
});
