/**
 * A real server for a test: 127.0.0.1 on port 0, the caller's temp
 * DATA_DIR, a quiet log and a short unload grace. Most tests get one through
 * `useTestServer`; this is for those that start and stop their own.
 */
import path from 'node:path';
import { loadConfig, type ServerConfig } from '../config.js';
import { startServer, type RunningServer, type StartServerOptions } from '../server.js';
import { ROLLOVER_OFF } from '../segments/conversation-segments.js';
import { quietLogger } from './quiet-logger.js';

/** `options`: e.g. a document log that counts its reads (`createDocumentLog`). */
export async function startTestServer(
  overrides: Partial<ServerConfig> & { dataDir: string },
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      docUnloadGraceMs: 50,
      log: quietLogger,
      clientDir: path.join(overrides.dataDir, 'no-client'),
      // A conversation is one document here unless a test asks for segments: most tests read and write
      // `conv/<id>` as the whole conversation, as a client that does not read segments would.
      historySegments: ROLLOVER_OFF,
      ...overrides,
    },
  );
  // The public URL must name the real port, which is only known after listening.
  const server = await startServer(config, options);
  config.publicUrl = server.url;
  return server;
}
