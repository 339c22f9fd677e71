/**
 * A room whose memory may no longer match the disk is never reused. Here:
 * an update that makes `Y.applyUpdate` throw halfway (after integrating part
 * of it), applied by a room with no validator, as if a check had missed it.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { Connection } from './connection.js';
import { encodeUpdate } from './frames.js';
import { Room } from './room.js';
import { createUpdateValidator } from './trust/update-validator.js';

/** Client 20 sets reads/x; client 10's item names an origin after itself, and Yjs throws on it after integrating the first. */
const HALF_APPLYING_UPDATE = Uint8Array.from([2, 1, 20, 0, 40, 1, 5, 114, 101, 97, 100, 115, 1, 120, 1, 125, 1, 1, 10, 0, 136, 10, 5, 1, 125, 2, 0]);

const test = useTestDatabase();

function fakeConnection(userId: string): { connection: Connection; closes: number[] } {
  const closes: number[] = [];
  const socket = { send() {}, close: (code: number) => closes.push(code), bufferedAmount: 0 };
  return { connection: new Connection(socket, { userId, sessionId: userId }, 'conv/c'), closes };
}

it('refuses the update, stores nothing of it and gives up its memory when Yjs throws halfway', async () => {
  const store = new LevelDocumentLog(test.db);
  let failed = false;
  const room = new Room({
    docName: 'conv/c',
    store,
    stored: await store.load('conv/c'),
    sequenced: true,
    compactThreshold: 500,
    log: quietLogger,
    onStorageFailure: () => (failed = true),
  });
  const writer = fakeConnection('mallory');
  const bystander = fakeConnection('alice');
  room.join(writer.connection);
  room.join(bystander.connection);
  room.receive(writer.connection, encodeUpdate(HALF_APPLYING_UPDATE));
  await room.flushed();
  expect(writer.closes).toEqual([CloseCode.invalidUpdate]);
  expect(bystander.closes).toEqual([CloseCode.tryAgainLater]);
  expect(failed).toBe(true);
  const reloaded = new Y.Doc();
  Y.applyUpdate(reloaded, (await store.load('conv/c')).update);
  expect(reloaded.getMap('reads').has('x')).toBe(false);
  room.destroy();
});

it('is refused by the validator before it gets that far', () => {
  const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, new Map());
  // As user "x", so that the first item (their own read marker) is fine and the second one is judged.
  expect(validator.check(new Y.Doc(), HALF_APPLYING_UPDATE, { userId: 'x', sessionId: 's' })).toMatchObject({ rule: 'malformed-update' });
});
