import { describe, expect, it } from 'vitest';
import { typingLabel, typingNames, type TypingState } from './typing.js';

describe('typingNames', () => {
  it('lists others who type, by the name the document knows, never me or my other tabs', () => {
    const states = new Map<number, TypingState>([
      [1, { user: { id: 'me', name: 'Me' }, typing: true }],
      [2, { user: { id: 'me', name: 'Me' }, typing: true }], // my other tab
      [3, { user: { id: 'bob', name: 'Forged name' }, typing: true }],
      [4, { user: { id: 'carol', name: 'Carol' }, typing: false }],
      [5, { user: { id: 'happy-robot', name: 'Happy Robot' }, typing: true }],
      [6, {}],
    ]);
    const members: Record<string, string> = { bob: 'Bob' };
    expect(typingNames(states, 1, 'me', (id) => members[id])).toEqual(['Bob', 'Happy Robot']);
  });
});

describe('typingLabel', () => {
  it('reads naturally for one, a few, and many', () => {
    expect(typingLabel([])).toBe('');
    expect(typingLabel(['Alice'])).toBe('Alice is typing…');
    expect(typingLabel(['Alice', 'Bob'])).toBe('Alice and Bob are typing…');
    expect(typingLabel(['A', 'B', 'C', 'D', 'E'])).toBe('A, B and 3 others are typing…');
  });
});
