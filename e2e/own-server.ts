/**
 * A server of a spec's own, started in the Playwright process on a free port
 * with a temp DATA_DIR and the built client: for what the shared e2e server
 * cannot show (a document written past today's rules, a tiny write quota).
 * People are made through the real API; a browser context gets their
 * session cookie.
 */
import type { Browser, BrowserContext } from '@playwright/test';
import path from 'node:path';
import type { ServerConfig } from '../sync-server/config.js';
import type { RunningServer } from '../sync-server/server.js';
import { startTestServer } from '../sync-server/testing/start-test-server.js';
import { makeTempDir, removeDir } from '../sync-server/testing/temp-dir.js';
import type { TestUser } from '../sync-server/testing/test-users.js';

export interface OwnServer {
  server: RunningServer;
  stop(): Promise<void>;
}

export async function startOwnServer(overrides: Partial<ServerConfig> = {}): Promise<OwnServer> {
  const dataDir = await makeTempDir('happy-chat-e2e-own-');
  // The client the shared e2e server serves: a private build (CLIENT_DIR) if the run has one, as sync-server/config.ts reads it.
  const server = await startTestServer({ dataDir, clientDir: path.resolve(process.env.CLIENT_DIR ?? 'dist/client'), ...overrides });
  return {
    server,
    async stop() {
      await server.close();
      await removeDir(dataDir);
    },
  };
}

/** A browser context signed in as `user` on `server` (the session cookie the API gave them). */
export async function signedInContext(browser: Browser, server: RunningServer, user: TestUser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name, ...value] = user.cookie.split('=');
  if (!name) throw new Error('no session cookie');
  await context.addCookies([{ name, value: value.join('='), url: server.url }]);
  return context;
}
