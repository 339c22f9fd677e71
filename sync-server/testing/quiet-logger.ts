/**
 * The logger of test servers: silent, unless TEST_LOG is set to see what a
 * failing test's server said. Its own file so a test that only needs it does
 * not load the whole server.
 */
import type { Logger } from '../config.js';

export const quietLogger: Logger = process.env.TEST_LOG
  ? { info: console.log, warn: console.warn, error: console.error }
  : { info() {}, warn() {}, error() {} };
