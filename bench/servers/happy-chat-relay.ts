/**
 * Our server as the bench runs it: the real `startServer` in a child process
 * (so its RSS is its own), configured from the environment the bench sets.
 * `BENCH_WRITES=off` swaps in a store that discards writes (durability cost);
 * `BENCH_VALIDATOR=off` applies client updates unchecked (the validator's cost).
 * History segments are off unless the scenario sets their bounds.
 */
import { loadConfig, type Logger } from '../../sync-server/config.js';
import { startServer } from '../../sync-server/server.js';
import { reportReady } from './child-control.js';
import { DiscardingDocumentLog } from './discarding-document-log.js';
import { installStoreCounters } from './store-counters.js';

/** Warnings and errors reach the bench's stderr capture; info lines would only add noise to timings. */
const log: Logger = {
  info() {},
  warn: (message, context) => console.error(`[happy-chat relay] ${message}`, context ?? ''),
  error: (message, context) => console.error(`[happy-chat relay] ${message}`, context ?? ''),
};

// Counting LevelDB's calls and bytes per message is a few additions per call (the fan-out scenario reports them).
installStoreCounters();
const writesOff = process.env.BENCH_WRITES === 'off';
const validatorOff = process.env.BENCH_VALIDATOR === 'off';
// The scenarios measure one conversation as one document (writing `conv/<id>`), as before segments; the
// `history` scenario turns segments on with HISTORY_SEGMENT_MESSAGES / HISTORY_SEGMENT_BYTES.
const config = loadConfig(
  { HISTORY_SEGMENT_MESSAGES: '0', HISTORY_SEGMENT_BYTES: '0', ...process.env },
  { port: 0, host: '127.0.0.1', log },
);
const server = await startServer(config, {
  ...(writesOff ? { createDocumentLog: (db) => new DiscardingDocumentLog(db) } : {}),
  ...(validatorOff ? { validateUpdates: false } : {}),
});
// As in the test fixture: the public URL names the real port (links in mails).
config.publicUrl = server.url;
reportReady(server.url);
