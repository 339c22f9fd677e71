import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listStateProblem } from '../../../shared/list-state.js';
import { listStateOf } from '../../../shared/schema.js';
import { ListStates } from './list-states.js';

const at = 1_700_000_000_000;

describe('ListStates', () => {
  it('writes only what the relay takes: pinning unarchives, archiving unpins, an empty state is removed', () => {
    const doc = new Y.Doc();
    const states = new ListStates(doc);
    let changes = 0;
    states.addEventListener('change', () => changes++);
    states.apply('c1', 'archive', at);
    expect(states.of('c1')).toEqual({ archived: true });
    states.apply('c1', 'pin', at);
    expect(states.of('c1')).toEqual({ pinnedAt: at });
    states.apply('c1', 'mark-unread', at);
    states.apply('c1', 'archive', at);
    expect(states.of('c1')).toEqual({ archived: true, unread: true });
    for (const value of listStateOf(doc).values()) expect(listStateProblem(value)).toBeNull();
    states.opened('c1');
    states.apply('c1', 'unarchive', at);
    expect(listStateOf(doc).has('c1')).toBe(false);
    expect(states.of('c1')).toEqual({});
    expect(changes).toBe(6);
  });

  it('leaves a conversation without a mark alone when it is opened (no write)', () => {
    const doc = new Y.Doc();
    const states = new ListStates(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    states.opened('c1');
    states.apply('c2', 'pin', at);
    states.opened('c2');
    expect(updates).toBe(1);
  });
});
