import { describe, expect, it } from 'vitest';
import type { PushSettings } from '../../../shared/push-api.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { NETWORK_ERROR, type ApiResult } from '../api/api-client.js';
import { MutedConversations, type MuteApi } from './muted-conversations.js';

/** A server's mutes in memory, which can be made unreachable. */
function serverMutes(muted: string[] = []) {
  const state = { muted: new Set(muted), reachable: true };
  const offline = { ok: false as const, status: 0, error: NETWORK_ERROR };
  const api: MuteApi = {
    async settings(): Promise<ApiResult<PushSettings>> {
      if (!state.reachable) return offline;
      return { ok: true, status: 200, value: { showContent: true, muted: [...state.muted], digestAfterMinutes: null } };
    },
    async setMuted(id, muted) {
      if (!state.reachable) return offline;
      if (muted) state.muted.add(id);
      else state.muted.delete(id);
      return { ok: true, status: 200, value: { muted } };
    },
  };
  return { state, api };
}

describe('MutedConversations', () => {
  it('knows nothing before the server answered, then keeps its answer on the device', async () => {
    const storage = memoryStorage();
    const server = serverMutes(['c1']);
    const first = new MutedConversations('u1', server.api, storage);
    expect(first.known).toBe(false);
    await first.refresh();
    expect(first.has('c1')).toBe(true);
    // Next start, offline: the copy answers.
    server.state.reachable = false;
    const offline = new MutedConversations('u1', server.api, storage);
    await offline.refresh();
    expect([offline.known, offline.has('c1'), offline.has('c2')]).toEqual([true, true, false]);
    // Another person on the same device has their own copy.
    expect(new MutedConversations('u2', server.api, storage).known).toBe(false);
  });

  it('takes a change at once, sends it to the server, and says so', async () => {
    const server = serverMutes();
    const muted = new MutedConversations('u1', server.api, memoryStorage());
    await muted.refresh();
    let changes = 0;
    muted.addEventListener('change', () => changes++);
    expect(await muted.set('c1', true)).toBeNull();
    expect([muted.has('c1'), server.state.muted.has('c1'), muted.unsentCount, changes > 0]).toEqual([true, true, 0, true]);
  });

  it('mutes offline at once, keeps the change through a reload, and sends it when the server answers again (it used to fail)', async () => {
    const storage = memoryStorage();
    const server = serverMutes(['c2']);
    const before = new MutedConversations('u1', server.api, storage);
    await before.refresh();
    server.state.reachable = false;
    let changes = 0;
    before.addEventListener('change', () => changes++);
    const result = before.set('c1', true);
    // Applied before any answer: the list and the title follow at once.
    expect([before.has('c1'), changes]).toEqual([true, 1]);
    expect(await result).toBeNull();
    expect(await before.set('c2', false)).toBeNull();
    expect([before.has('c1'), before.has('c2'), before.unsentCount]).toEqual([true, false, 2]);
    expect([...server.state.muted]).toEqual(['c2']);

    // The page reloads, still offline: the changes are still applied, and a refresh keeps them.
    const after = new MutedConversations('u1', server.api, storage);
    await after.refresh();
    expect([after.has('c1'), after.has('c2'), after.unsentCount]).toEqual([true, false, 2]);

    // Back online: the next refresh sends them, then reads what the server says.
    server.state.reachable = true;
    await after.refresh();
    expect([[...server.state.muted], after.unsentCount, after.has('c1'), after.has('c2')]).toEqual([['c1'], 0, true, false]);
  });

  it('undoes a change the server refuses, with its reason', async () => {
    const server = serverMutes();
    const refusing: MuteApi = {
      ...server.api,
      setMuted: async () => ({ ok: false, status: 404, error: { error: 'not_found', message: 'No such conversation.' } }),
    };
    const muted = new MutedConversations('u1', refusing, memoryStorage());
    await muted.refresh();
    expect(await muted.set('c1', true)).toBe('No such conversation.');
    expect([muted.has('c1'), muted.unsentCount]).toEqual([false, 0]);
  });

  it('follows a mute set on another device when it refreshes', async () => {
    const server = serverMutes();
    const muted = new MutedConversations('u1', server.api, memoryStorage());
    await muted.refresh();
    server.state.muted.add('c9');
    await muted.refresh();
    expect(muted.has('c9')).toBe(true);
  });

  it('ignores a copy it cannot read', () => {
    const storage = memoryStorage();
    storage.setItem('hc:muted:u1', '{not json');
    expect(new MutedConversations('u1', serverMutes().api, storage).known).toBe(false);
  });
});

describe('MutedConversations, a refresh overtaken by a change', () => {
  it('keeps the change rather than the older answer', async () => {
    const server = serverMutes();
    let answer: () => void = () => {};
    const slow: MuteApi = {
      ...server.api,
      settings: () => {
        const before = server.api.settings();
        return new Promise((resolve) => {
          answer = () => resolve(before);
        });
      },
    };
    const muted = new MutedConversations('u1', slow, memoryStorage());
    const refreshing = muted.refresh();
    await muted.set('c1', true);
    answer();
    await refreshing;
    expect(muted.has('c1')).toBe(true);
  });
});
