/**
 * On a person's first sign-in on a device (`noLocalCopy`), `user/<id>` counts
 * as read once the relay's first answer is in, even while its empty
 * IndexedDB copy has not opened yet; otherwise only its local copy counts.
 * A stand-in connection whose local copy never loads makes the order certain.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocConnection } from '../sync/doc-connection.js';
import { HeadsView } from './heads-view.js';

/** A connection whose IndexedDB copy never answers; `sync()` is the relay's first answer. */
function stallingConnection(): { connection: DocConnection; sync: () => void } {
  const target = new EventTarget();
  const state = { localLoaded: false, synced: false };
  // The real wait for the first answer (DocConnection's), on this stand-in's state.
  const firstSynced = DocConnection.prototype.firstSynced;
  const connection = Object.assign(target, { doc: new Y.Doc(), state, whenLocalLoaded: new Promise<void>(() => {}), firstSynced });
  const sync = () => {
    state.synced = true;
    target.dispatchEvent(new Event('change'));
  };
  return { connection: connection as unknown as DocConnection, sync };
}

/** Lets every settled promise run its callbacks. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

it("counts the person's own document as read at the relay's first answer on a first sign-in, before its local copy", async () => {
  const { connection, sync } = stallingConnection();
  const heads = new HeadsView('ann', connection, null, { noLocalCopy: true });
  await settle();
  expect(heads.loaded).toBe(false);
  sync();
  await heads.whenLoaded();
  expect(heads.loaded).toBe(true);
  expect(connection.state.localLoaded).toBe(false);
  heads.close();
});

it('waits for the local copy on a later start, whatever the relay answered', async () => {
  const { connection, sync } = stallingConnection();
  const heads = new HeadsView('ann', connection, null);
  sync();
  await settle();
  expect(heads.loaded).toBe(false);
  heads.close();
});
