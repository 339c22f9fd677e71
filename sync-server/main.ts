/**
 * Entry point: `npm start`. Reads the environment, starts the server, stops
 * cleanly on SIGTERM/SIGINT (connections closed with 1001, writes stored,
 * the store closed). npm runs it built (build-server.ts: `exec node
 * dist/server/main.js`), so the process npm starts is this one and a
 * supervisor's signal reaches it.
 */
import { loadConfig } from './config.js';
import { startServer } from './server.js';

const config = loadConfig();
const server = await startServer(config).catch((error: unknown) => {
  config.log.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
config.log.info(`listening on ${server.url} (public URL ${config.publicUrl}, data in ${config.dataDir})`, {
  url: server.url,
  ...(server.metricsUrl ? { metrics: server.metricsUrl } : {}),
});
if (!config.smtpUrl) config.log.info(`no SMTP_URL: mails are written to ${config.dataDir}/outbox`);

/** A stop that takes longer than this is stuck (a write that never ends): give up rather than hang a supervisor. */
const STOP_TIMEOUT_MS = 15_000;

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    config.log.info(`${signal}: storing documents and stopping`);
    setTimeout(() => {
      config.log.error(`did not stop within ${STOP_TIMEOUT_MS} ms; exiting anyway`);
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        config.log.error('error while stopping', { error: String(error) });
        process.exit(1);
      },
    );
  });
}
