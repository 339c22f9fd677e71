/**
 * Decides who the app runs as when it starts: the server's answer when it
 * can give one, the last signed-in person when the network is down.
 */
import type { Me } from '../../../shared/api.js';
import type { ApiClient } from '../api/api-client.js';
import type { LastSignedIn } from './last-signed-in.js';

export type BootState =
  | { kind: 'signed-in'; me: Me; offline: false }
  /** The server could not be asked; we run as the last person from local data. */
  | { kind: 'signed-in'; me: Me; offline: true }
  | { kind: 'signed-out' };

export async function resolveBootState(api: Pick<ApiClient, 'me'>, lastSignedIn: LastSignedIn): Promise<BootState> {
  const result = await api.me();
  if (result.ok) {
    lastSignedIn.remember(result.value);
    return { kind: 'signed-in', me: result.value, offline: false };
  }
  if (result.status === 401) return { kind: 'signed-out' };
  // No network, or the server is down or answering garbage: an expired session
  // while offline is not an error, so run from local data if we have someone.
  const last = lastSignedIn.lastMe();
  return last ? { kind: 'signed-in', me: last, offline: true } : { kind: 'signed-out' };
}
