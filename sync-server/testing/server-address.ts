/**
 * Where a test reaches a server: the same for one in this process and one
 * in a child process (child-server.ts), so the helpers that call it work
 * with both.
 */
import type { RunningServer } from '../server.js';

/** What tests need to reach a server, in this process or a child process. */
export interface ServerAddress {
  url: string;
  dataDir: string;
}

export function addressOf(server: ServerAddress | RunningServer): ServerAddress {
  return 'context' in server ? { url: server.url, dataDir: server.context.config.dataDir } : server;
}
