/**
 * The engines suite's own server: the built client on a fixed free port and
 * a temp DATA_DIR, which can be stopped and started again on the same port
 * and data. That is how the suite takes the server away from a browser
 * ("offline") in every engine alike: Firefox over BiDi and WebKit over
 * WebDriver have no switch for the network, and a gone server is the case
 * people meet anyway.
 */
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../sync-server/config.js';
import { startServer, type RunningServer } from '../../sync-server/server.js';
import { quietLogger } from '../../sync-server/testing/quiet-logger.js';
import { makeTempDir, removeDir } from '../../sync-server/testing/temp-dir.js';

export interface EngineServer {
  /** The app's origin, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  readonly dataDir: string;
  /** Closes the server (sockets dropped, port freed); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startEngineServer(): Promise<EngineServer> {
  const dataDir = await makeTempDir('happy-chat-engines-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let running: RunningServer | undefined;
  // A private build (CLIENT_DIR) lets a run test its own client while others build dist/client.
  const clientDir = path.resolve(process.env.CLIENT_DIR ?? 'dist/client');
  const start = async () => {
    const config = loadConfig({}, { port, host: '127.0.0.1', publicUrl: url, dataDir, clientDir, docUnloadGraceMs: 50, log: quietLogger });
    running = await startServer(config);
  };
  const stop = async () => {
    const server = running;
    running = undefined;
    await server?.close();
  };
  await start();
  return {
    url,
    dataDir,
    stop,
    start,
    async dispose() {
      await stop();
      await removeDir(dataDir);
    },
  };
}
