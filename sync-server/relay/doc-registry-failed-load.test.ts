/**
 * A document load that fails (PostgreSQL away, postgres-outage.test.ts)
 * while sockets wait on the same document: every failed load is answered
 * where it was asked for (1013 for the readers a reload was for, a
 * rejected `acquire` for a reconnecting socket), and nothing is left
 * rejecting with nobody listening. Regression tests for two unhandled
 * rejections of `DocRegistry.load`: the unload timer awaited a reload that
 * later failed, and a holder of a failed room released (and so unloaded)
 * the entry a later load had made.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { GatedDocumentLog, TestClient } from '../testing/room-harness.js';
import { DocRegistry } from './doc-registry.js';
import type { Room } from './room.js';

const GRACE_MS = 50;
const docName = userDocName('ada');

let unhandled: unknown[] = [];
const noteUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', noteUnhandled);
  // Only timers: the unload grace runs when the test says so; promises and I/O stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  vi.useRealTimers();
  process.off('unhandledRejection', noteUnhandled);
});

/** Lets pending promise reactions run and Node report any rejection still unhandled. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Two sockets on one document; Ada's write fails, so Bob moves to a reload that waits on the log. */
async function failedWriteWithReloadHeld(): Promise<{
  log: GatedDocumentLog;
  registry: DocRegistry;
  failed: Room;
  ada: TestClient;
  bob: TestClient;
}> {
  const log = new GatedDocumentLog();
  const registry = new DocRegistry({ store: log, unloadGraceMs: GRACE_MS, compactThreshold: 500, log: quietLogger });
  const failed = await registry.acquire(docName);
  await registry.acquire(docName);
  const [ada, bob] = [new TestClient(failed, 'ada'), new TestClient(failed, 'bob')];
  failed.join(ada.connection);
  failed.join(bob.connection);
  log.hold();
  ada.change((doc) => doc.getMap('profile').set('name', 'Ada'));
  await log.appendWaiting();
  log.holdLoads();
  log.fail();
  await log.loadWaiting();
  expect(ada.socket.closeCodes).toEqual([CloseCode.storageUnavailable]);
  return { log, registry, failed, ada, bob };
}

it('a reload that fails after its holders left closes its readers with 1013 and leaves no unhandled rejection', async () => {
  const { log, registry, failed, bob } = await failedWriteWithReloadHeld();
  // Both sockets go while the reload waits: the unload grace starts and ends before the reload answers.
  registry.release(failed);
  registry.release(failed);
  vi.advanceTimersByTime(GRACE_MS);
  log.failLoad();
  await settle();

  expect(bob.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(registry.isLoaded(docName)).toBe(false);
  expect(unhandled).toEqual([]);
});

it('a socket of a room whose reload failed releases nothing of the entry a later load made', async () => {
  const { log, registry, failed, bob } = await failedWriteWithReloadHeld();
  log.failLoad();
  await settle();
  expect(bob.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);

  // Ada reconnects while PostgreSQL is still away; the old sockets' closes arrive meanwhile.
  const reconnect = registry.acquire(docName);
  await log.loadWaiting();
  registry.release(failed);
  registry.release(failed);
  vi.advanceTimersByTime(GRACE_MS);
  log.failLoad();
  await expect(reconnect).rejects.toThrow('the database is unreachable');
  await settle();
  expect(unhandled).toEqual([]);

  // PostgreSQL is back: the next load holds the document for its socket alone.
  const again = registry.acquire(docName);
  await log.loadWaiting();
  log.releaseLoad();
  const room = await again;
  registry.release(failed);
  vi.advanceTimersByTime(GRACE_MS);
  await settle();
  expect(registry.isLoaded(docName)).toBe(true);
  expect(room.hasFailed).toBe(false);
  registry.release(room);
  vi.advanceTimersByTime(GRACE_MS);
  await settle();
  expect(registry.isLoaded(docName)).toBe(false);
});
