import { describe, expect, it } from 'vitest';
import { ClientOwners } from './client-owners.js';

describe('client owners', () => {
  it('counts stored and new bindings per person, whichever comes first', () => {
    const owners = new ClientOwners(
      new Map([
        [1, 'alice'],
        [2, 'alice'],
        [3, 'bob'],
      ]),
    );
    owners.bind(4, 'alice');
    expect(owners.countOf('alice')).toBe(3);
    owners.bind(5, 'alice');
    owners.bind(5, 'bob');
    owners.bind(1, 'bob');
    expect([owners.countOf('alice'), owners.countOf('bob'), owners.countOf('carol')]).toEqual([4, 1, 0]);
    expect(owners.size).toBe(5);
    expect(owners.ownerOf(5)).toBe('alice');
  });

  it('hands each new binding to the store once', () => {
    const owners = new ClientOwners();
    expect(owners.size).toBe(0);
    expect(owners.ownerOf(1)).toBeUndefined();
    expect(owners.takeUnsaved()).toEqual([]);
    owners.bind(1, 'alice');
    owners.bind(2, 'bob');
    expect(owners.countOf('alice')).toBe(1);
    expect(owners.takeUnsaved()).toEqual([
      [1, 'alice'],
      [2, 'bob'],
    ]);
    expect(owners.takeUnsaved()).toEqual([]);
    owners.bind(3, 'alice');
    expect(owners.takeUnsaved()).toEqual([[3, 'alice']]);
    expect(owners.countOf('alice')).toBe(2);
  });
});
