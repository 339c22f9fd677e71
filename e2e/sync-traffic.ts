/**
 * What a page syncs, seen from its WebSockets: every socket it opens and,
 * on the shared `/mux` socket (docs/PROTOCOL.md), the name of every
 * document it subscribes to. A spec can then say "no conversation document
 * was opened" whichever way the app reaches the relay.
 */
import type { Page } from '@playwright/test';
import { MuxMessageType, readMuxFrame } from '../shared/mux-frames.js';

export interface SyncTraffic {
  /** URLs of the sockets opened, in order. */
  sockets: string[];
  /** Documents subscribed on `/mux` sockets, and those opened on `/sync/<doc>` sockets, in order. */
  documents: string[];
  /** Bytes received on `/mux` sockets, per document named in the frame (the frames' whole size, name included). */
  receivedBytes: Map<string, number>;
}

/** Starts recording `page`'s sockets and the documents it opens on them. */
export function watchSyncTraffic(page: Page): SyncTraffic {
  const traffic: SyncTraffic = { sockets: [], documents: [], receivedBytes: new Map() };
  page.on('websocket', (socket) => {
    const url = new URL(socket.url());
    traffic.sockets.push(socket.url());
    if (url.pathname.startsWith('/sync/')) traffic.documents.push(decodeURIComponent(url.pathname.slice('/sync/'.length)));
    if (url.pathname !== '/mux') return;
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') return;
      try {
        const frame = readMuxFrame(new Uint8Array(payload));
        if (frame.type === MuxMessageType.subscribe) traffic.documents.push(frame.docName);
      } catch {
        // Not a frame about a document: nothing to record.
      }
    });
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return;
      try {
        const { docName } = readMuxFrame(new Uint8Array(payload));
        traffic.receivedBytes.set(docName, (traffic.receivedBytes.get(docName) ?? 0) + payload.byteLength);
      } catch {
        // Not a frame about a document: nothing to record.
      }
    });
  });
  return traffic;
}
