/**
 * A real WebSocket server for data-layer tests: it records what each
 * connection sends and does what the test says (close with a code, stay
 * silent). Not our relay: the relay's own tests live in sync-server/.
 */
import { WebSocketServer, WebSocket } from 'ws';

export interface RecordedConnection {
  path: string;
  frames: Uint8Array[];
  socket: WebSocket;
}

export interface SilentRelay {
  wsBase: string;
  connections: RecordedConnection[];
  close(): Promise<void>;
}

/** `onConnection` decides per connection, e.g. `(c) => c.socket.close(4401)`. */
export async function startSilentRelay(onConnection: (connection: RecordedConnection) => void = () => {}): Promise<SilentRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const connections: RecordedConnection[] = [];
  server.on('connection', (socket, request) => {
    const connection: RecordedConnection = { path: request.url ?? '', frames: [], socket };
    socket.on('message', (data) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      connection.frames.push(new Uint8Array(buffer));
    });
    connections.push(connection);
    onConnection(connection);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    wsBase: `ws://127.0.0.1:${address.port}/sync`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** `ws`'s client, typed as the browser's WebSocket for y-websocket. */
export const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
