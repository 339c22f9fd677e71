/**
 * A WebSocket server for data-layer tests that syncs like the relay (one
 * Y.Doc per document name, y-websocket frames, messages numbered in `seq`)
 * and refuses with 4400 (or the rule's code) any update the test's rule
 * says no to, the way the relay's update validator and write quota do. Not our relay: that lives in sync-server/.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, seqOf } from '../../shared/schema.js';

/**
 * Returns the refusal reason (sent as the close reason, with 4400), a close
 * code and reason (e.g. 4413 for a quota), or null to accept.
 */
export type RefusalRule = (docAfter: Y.Doc) => string | { code: number; reason: string } | null;

export interface RefusingRelay {
  wsBase: string;
  /** The relay's copy of a document. */
  doc(name: string): Y.Doc;
  /** Every connection made so far, by document name. */
  connectionCount(name: string): number;
  /** Closes the open connections to a document with a code (e.g. 4401). */
  closeAll(name: string, code: number, reason: string): void;
  /** Refuse every connection to any document with this code from now on (null: accept again). */
  refuseConnections(code: number | null): void;
  close(): Promise<void>;
}

const SYNC = 0;
const STEP1 = 0;
const STEP2 = 1;

export async function startRefusingRelay(rule: RefusalRule): Promise<RefusingRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const docs = new Map<string, Y.Doc>();
  const sockets = new Map<string, Set<WebSocket>>();
  const counts = new Map<string, number>();
  let refuseWith: number | null = null;

  const docOf = (name: string): Y.Doc => {
    let doc = docs.get(name);
    if (!doc) {
      const created = new Y.Doc();
      created.on('update', (update: Uint8Array) => {
        const frame = syncFrame(2, update);
        for (const socket of sockets.get(name) ?? []) socket.send(frame);
      });
      docs.set(name, created);
      doc = created;
    }
    return doc;
  };

  server.on('connection', (socket, request) => {
    const name = (request.url ?? '').replace(/^\/sync\//, '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (refuseWith !== null) {
      socket.close(refuseWith, 'refused by the test');
      return;
    }
    const doc = docOf(name);
    if (!sockets.has(name)) sockets.set(name, new Set());
    sockets.get(name)?.add(socket);
    socket.on('close', () => sockets.get(name)?.delete(socket));
    socket.send(syncFrame(STEP1, Y.encodeStateVector(doc)));
    socket.on('message', (data) => {
      const decoder = decoding.createDecoder(new Uint8Array(data as Buffer));
      if (decoding.readVarUint(decoder) !== SYNC) return; // awareness: not needed here
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === STEP1) {
        socket.send(syncFrame(STEP2, Y.encodeStateAsUpdate(doc, payload)));
        return;
      }
      const probe = new Y.Doc();
      Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
      Y.applyUpdate(probe, payload);
      const refusal = rule(probe);
      probe.destroy();
      if (refusal) {
        if (typeof refusal === 'string') socket.close(CloseCode.invalidUpdate, refusal);
        else socket.close(refusal.code, refusal.reason);
        return;
      }
      doc.transact((transaction) => {
        const ownClock = Y.getState(doc.store, doc.clientID);
        Y.applyUpdate(doc, payload);
        // `applyUpdate` marks the transaction remote, and Yjs gives a document a new client id (and prints
        // "[yjs] Changed the client-id…") after a remote transaction that wrote under its own: the numbers below
        // are the relay's own writes, as in sync-server/relay/room.ts, unless the client wrote under the relay's id.
        if (Y.getState(doc.store, doc.clientID) === ownClock) transaction.local = true;
        const seq = seqOf(doc);
        messagesOf(doc).forEach((_message, id) => {
          if (!seq.has(id)) seq.set(id, seq.size + 1);
        });
      });
    });
  });

  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    wsBase: `ws://127.0.0.1:${address.port}/sync`,
    doc: docOf,
    connectionCount: (name) => counts.get(name) ?? 0,
    closeAll: (name, code, reason) => {
      for (const socket of sockets.get(name) ?? []) socket.close(code, reason);
    },
    refuseConnections: (code) => void (refuseWith = code),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        for (const doc of docs.values()) doc.destroy();
        server.close(() => resolve());
      }),
  };
}

function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
