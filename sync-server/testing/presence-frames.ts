/**
 * Presence (awareness) in relay tests, in bytes: build one presence frame,
 * read the states a frame carries, watch what a raw socket receives from
 * the first frame on, and make a sync round trip that proves the relay has
 * handled everything a session sent before it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeFrame, encodeAwareness, encodeSyncStep1 } from '../relay/frames.js';
import type { RawSession } from './raw-session.js';

export interface PresenceEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

/** An awareness frame setting `state` for `clientId` at `clock` (the y-protocols layout). */
export function presenceFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encodeAwareness(encoding.toUint8Array(encoder));
}

/** The entries of an awareness frame; empty for any other frame. */
export function presenceIn(frame: Uint8Array): PresenceEntry[] {
  const decoded = decodeFrame(frame);
  if (decoded.type !== 'awareness') return [];
  const decoder = decoding.createDecoder(decoded.update);
  const count = decoding.readVarUint(decoder);
  const entries: PresenceEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({
      clientId: decoding.readVarUint(decoder),
      clock: decoding.readVarUint(decoder),
      state: JSON.parse(decoding.readVarString(decoder)),
    });
  }
  return entries;
}

/** What a socket has received: every awareness frame, in order, and each entry's latest state. */
export class PresenceWatcher {
  readonly frames: Uint8Array[] = [];
  readonly latest = new Map<number, PresenceEntry>();
  private readonly waiters = new Set<() => void>();

  /** Starts watching `socket`; attach before it opens to see the greeting. */
  constructor(socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const frame = new Uint8Array(data);
      const entries = presenceIn(frame);
      if (entries.length === 0) return;
      this.frames.push(frame);
      for (const entry of entries) this.latest.set(entry.clientId, entry);
      for (const waiter of this.waiters) waiter();
    });
  }

  /** Resolves when `predicate` holds, checking after each awareness frame; fails after `timeoutMs`. */
  until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate()) return resolve();
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }
}

/**
 * Sends a sync step 1 and resolves when the relay answers it, which it does
 * only after handling every frame the session sent before; 'closed' (with
 * the code) if the relay closed the session instead.
 */
export function syncRoundTrip(session: RawSession): Promise<'answered' | { closed: number }> {
  if (!session.isOpen) return session.closed.then((close) => ({ closed: close.code }));
  const answered = new Promise<'answered'>((resolve) => {
    const onMessage = (data: Buffer) => {
      if (decodeFrame(new Uint8Array(data)).type !== 'sync-step-2') return;
      session.socket.off('message', onMessage);
      resolve('answered');
    };
    session.socket.on('message', onMessage);
  });
  session.sendFrame(encodeSyncStep1(Y.encodeStateVector(session.doc)));
  return Promise.race([answered, session.closed.then((close) => ({ closed: close.code }))]);
}
