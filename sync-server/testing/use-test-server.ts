/**
 * One real server per test, on 127.0.0.1:0 with its own temp DATA_DIR,
 * torn down with every client the test opened. Call at the top of a
 * test file (it registers vitest hooks).
 */
import { afterEach, beforeEach } from 'vitest';
import * as Y from 'yjs';
import type { ServerConfig } from '../config.js';
import type { RunningServer, StartServerOptions } from '../server.js';
import { startTestServer } from './start-test-server.js';
import { openDoc, type SyncedClient } from './synced-client.js';
import { makeTempDir, removeDir } from './temp-dir.js';
import type { TestUser } from './test-users.js';

export interface TestServerHandle {
  readonly server: RunningServer;
  readonly dataDir: string;
  /** Opens a document as `user`; closed after the test. */
  open(user: Pick<TestUser, 'cookie'>, docName: string, doc?: Y.Doc): SyncedClient;
  /** Closes the clients opened so far (e.g. before a restart). */
  closeClients(): void;
  /**
   * Stops the server and starts a new one on the same DATA_DIR; `whileStopped`
   * runs in between (e.g. to leave the store as a crash would have);
   * `options` for the new one (e.g. a document log that counts its reads).
   */
  restart(overrides?: Partial<ServerConfig>, whileStopped?: () => Promise<void>, options?: StartServerOptions): Promise<void>;
}

/** Settings for every server of a test file, or a function that prepares them in the test's DATA_DIR. */
export type TestServerOverrides = Partial<ServerConfig> | ((dataDir: string) => Promise<Partial<ServerConfig>>);

export function useTestServer(overrides: TestServerOverrides = {}): TestServerHandle {
  let server: RunningServer | undefined;
  let dataDir = '';
  let settings: Partial<ServerConfig> = {};
  const clients: SyncedClient[] = [];

  beforeEach(async () => {
    dataDir = await makeTempDir();
    settings = typeof overrides === 'function' ? await overrides(dataDir) : overrides;
    server = await startTestServer({ dataDir, ...settings });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.close();
    await removeDir(dataDir);
  });

  const running = (): RunningServer => {
    if (!server) throw new Error('the test server is not running');
    return server;
  };

  return {
    get server() {
      return running();
    },
    get dataDir() {
      return dataDir;
    },
    open(user, docName, doc = new Y.Doc()) {
      const client = openDoc(running(), user, docName, doc);
      clients.push(client);
      return client;
    },
    closeClients() {
      for (const client of clients.splice(0)) client.destroy();
    },
    async restart(restartOverrides = {}, whileStopped, options) {
      await running().close();
      server = undefined;
      await whileStopped?.();
      server = await startTestServer({ dataDir, ...settings, ...restartOverrides }, options);
    },
  };
}
