/**
 * The reference: the Yjs project's own relay, `@y/websocket-server` 0.1.1,
 * started the way its `src/server.js` does (an http server handing every
 * upgrade to `setupWSConnection`), with no auth and no persistence. Run as a
 * child process by the bench so its RSS is its own.
 *
 * One difference from its bin: it gets `ws` 8 (ours) instead of its own
 * nested `ws` 6, so both relays are measured on the same socket library.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { reportReady } from './child-control.js';

const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('okay');
});
wss.on('connection', setupWSConnection);
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  reportReady(`http://127.0.0.1:${port}`);
});
