import { describe, expect, it } from 'vitest';
import type { Me } from '../../../shared/api.js';
import { NETWORK_ERROR, type ApiResult } from '../api/api-client.js';
import { resolveBootState } from './boot.js';
import { LastSignedIn } from './last-signed-in.js';
import { memoryStorage } from '../../testing/memory-storage.js';

const ann: Me = { id: 'u1', name: 'Ann', email: 'ann@example.com' };

function apiAnswering(result: ApiResult<Me>) {
  return { me: async () => result };
}

describe('resolveBootState', () => {
  it('signs in with the server’s answer and remembers it', async () => {
    const lastSignedIn = new LastSignedIn(memoryStorage());
    const state = await resolveBootState(apiAnswering({ ok: true, status: 200, value: ann }), lastSignedIn);
    expect(state).toEqual({ kind: 'signed-in', me: ann, offline: false });
    expect(lastSignedIn.lastMe()).toEqual(ann);
  });

  it('boots offline as the last person when the network is down', async () => {
    const lastSignedIn = new LastSignedIn(memoryStorage());
    lastSignedIn.remember(ann);
    const state = await resolveBootState(apiAnswering({ ok: false, status: 0, error: NETWORK_ERROR }), lastSignedIn);
    expect(state).toEqual({ kind: 'signed-in', me: ann, offline: true });
  });

  it('shows sign-in offline when nobody signed in on this device before', async () => {
    const lastSignedIn = new LastSignedIn(memoryStorage());
    const state = await resolveBootState(apiAnswering({ ok: false, status: 0, error: NETWORK_ERROR }), lastSignedIn);
    expect(state).toEqual({ kind: 'signed-out' });
  });

  it('shows sign-in on 401 but keeps the last person (their data stays if they come back)', async () => {
    const lastSignedIn = new LastSignedIn(memoryStorage());
    lastSignedIn.remember(ann);
    const state = await resolveBootState(
      apiAnswering({ ok: false, status: 401, error: { error: 'unauthenticated', message: 'Please sign in.' } }),
      lastSignedIn,
    );
    expect(state).toEqual({ kind: 'signed-out' });
    expect(lastSignedIn.lastMe()).toEqual(ann);
  });
});
