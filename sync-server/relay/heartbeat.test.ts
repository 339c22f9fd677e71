/** The heartbeat round (heartbeat.ts) over real sockets: an answering peer stays, a silent one is dropped. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { pingOrDrop } from './heartbeat.js';

let wss: WebSocketServer | undefined;

afterEach(async () => {
  for (const ws of wss?.clients ?? []) ws.terminate();
  await new Promise((resolve) => wss?.close(resolve) ?? resolve(undefined));
  wss = undefined;
});

/** A server socket and the client at its other end. */
async function connectedPair(): Promise<{ server: WebSocket; client: WebSocket }> {
  wss ??= new WebSocketServer({ host: '127.0.0.1', port: 0 });
  if (!wss.address()) await once(wss, 'listening');
  const accepted = once(wss, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const [server] = (await accepted) as [WebSocket];
  await once(client, 'open');
  return { server, client };
}

it('pings a socket that answered the last round and keeps it until it answers again', async () => {
  const { server, client } = await connectedPair();
  const alive = new WeakSet<WebSocket>([server]);
  const pong = once(server, 'pong');
  pingOrDrop([server], alive);
  expect(alive.has(server)).toBe(false);
  await pong; // the client answered (ws answers pings by itself)
  expect(client.readyState).toBe(WebSocket.OPEN);
}, 5_000);

it('drops a socket that did not answer the last round', async () => {
  const { server, client } = await connectedPair();
  const closed = once(client, 'close');
  pingOrDrop([server], new WeakSet());
  await closed;
  expect(server.readyState).toBe(WebSocket.CLOSED);
}, 5_000);
