import { describe, expect, it } from 'vitest';
import type { Me } from '../../shared/api.js';
import { NETWORK_ERROR, type ApiResult } from './api-client.js';
import { resolveBootState } from './boot.js';
import { SessionStore } from './session-store.js';
import { memoryStorage } from '../testing/memory-storage.js';

const ann: Me = { id: 'u1', name: 'Ann', email: 'ann@example.com' };

function apiAnswering(result: ApiResult<Me>) {
  return { me: async () => result };
}

describe('resolveBootState', () => {
  it('signs in with the server’s answer and remembers it', async () => {
    const store = new SessionStore(memoryStorage());
    const state = await resolveBootState(apiAnswering({ ok: true, status: 200, value: ann }), store);
    expect(state).toEqual({ kind: 'signed-in', me: ann, offline: false });
    expect(store.lastMe()).toEqual(ann);
  });

  it('boots offline as the last person when the network is down', async () => {
    const store = new SessionStore(memoryStorage());
    store.remember(ann);
    const state = await resolveBootState(apiAnswering({ ok: false, status: 0, error: NETWORK_ERROR }), store);
    expect(state).toEqual({ kind: 'signed-in', me: ann, offline: true });
  });

  it('shows sign-in offline when nobody signed in on this device before', async () => {
    const store = new SessionStore(memoryStorage());
    const state = await resolveBootState(apiAnswering({ ok: false, status: 0, error: NETWORK_ERROR }), store);
    expect(state).toEqual({ kind: 'signed-out' });
  });

  it('shows sign-in on 401 but keeps the last person (their data stays if they come back)', async () => {
    const store = new SessionStore(memoryStorage());
    store.remember(ann);
    const state = await resolveBootState(
      apiAnswering({ ok: false, status: 401, error: { error: 'unauthenticated', message: 'Please sign in.' } }),
      store,
    );
    expect(state).toEqual({ kind: 'signed-out' });
    expect(store.lastMe()).toEqual(ann);
  });
});
