import { describe, expect, it } from 'vitest';
import { followMove, isAtBottom, type ListBefore } from './list-follow.js';

const at = (ids: string[], atBottom: boolean): ListBefore => ({ fromBottom: 500, atBottom, firstId: ids[0], lastId: ids.at(-1) });

describe('followMove', () => {
  it('opens at the newest', () => {
    expect(followMove(null, { ids: ['a'], lastMine: false })).toBe('bottom');
    expect(followMove(at([], false), { ids: ['a'], lastMine: false })).toBe('bottom');
  });

  it('follows new messages while the newest is in view, and stays put while the visitor reads further up', () => {
    expect(followMove(at(['a', 'b'], true), { ids: ['a', 'b', 'c'], lastMine: false })).toBe('bottom');
    expect(followMove(at(['a', 'b'], false), { ids: ['a', 'b', 'c'], lastMine: false })).toBe('stay');
    // A change that adds nothing (a read marker, a delivery) moves nothing either.
    expect(followMove(at(['a', 'b'], false), { ids: ['a', 'b'], lastMine: false })).toBe('stay');
  });

  it('brings the visitor down to their own new message, even scrolled up', () => {
    expect(followMove(at(['a', 'b'], false), { ids: ['a', 'b', 'c'], lastMine: true })).toBe('bottom');
    // Their own older message already shown does not pull them down again.
    expect(followMove(at(['a', 'b'], false), { ids: ['a', 'b'], lastMine: true })).toBe('stay');
  });

  it('keeps what is on screen in place when older history comes in above', () => {
    expect(followMove(at(['c', 'd'], false), { ids: ['a', 'b', 'c', 'd'], lastMine: false })).toBe('keep');
    expect(followMove(at(['c', 'd'], true), { ids: ['a', 'b', 'c', 'd'], lastMine: false })).toBe('keep');
    // A new list (another conversation after a reset) is not older history: it opens at the newest.
    expect(followMove(at(['c', 'd'], false), { ids: ['x', 'y'], lastMine: false })).toBe('bottom');
  });
});

describe('isAtBottom', () => {
  it('counts the last 80 px as the bottom, as the app does', () => {
    expect(isAtBottom({ scrollHeight: 1000, scrollTop: 600, clientHeight: 400 })).toBe(true);
    expect(isAtBottom({ scrollHeight: 1000, scrollTop: 521, clientHeight: 400 })).toBe(true);
    expect(isAtBottom({ scrollHeight: 1000, scrollTop: 520, clientHeight: 400 })).toBe(false);
    expect(isAtBottom({ scrollHeight: 300, scrollTop: 0, clientHeight: 400 })).toBe(true);
  });
});
