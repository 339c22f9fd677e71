/** A bare WebSocket to the relay, for tests about the handshake and close codes rather than the sync protocol. */
import WebSocket from 'ws';
import type { RunningServer } from '../server.js';

/** A socket to `/sync/<docName>` with the given headers (e.g. a cookie, an Origin). */
export function rawSocket(server: RunningServer, docName: string, headers: Record<string, string> = {}): WebSocket {
  return new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${docName}`, { headers });
}

/** Resolves with the close code and reason when `socket` closes; fails after `timeoutMs`. */
export function closeCodeOf(socket: WebSocket, timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
    socket.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}
