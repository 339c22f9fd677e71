/**
 * What a room does while the store refuses writes (a full disk, see
 * store/store-health.ts): a client that brings something new is told 4507
 * and keeps its change (the stock client reconnects and hands it over again
 * later); a client that only syncs what the room already has (every reader
 * answers the room's sync step 1 with its whole delete set) is undisturbed.
 */
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import type { Connection } from './connection.js';

/** The close reason a writer gets; clients show `describeCloseCode(4507)`. */
export const STORAGE_UNAVAILABLE_REASON = 'server out of space; your messages are kept';

/** True when `update` holds an item or a deletion that `doc` does not have yet. */
export function bringsChanges(doc: Y.Doc, update: Uint8Array): boolean {
  try {
    return !Y.snapshotContainsUpdate(Y.snapshot(doc), update);
  } catch {
    // Not decodable: let the room's own checks refuse it as usual.
    return false;
  }
}

/** The close reason a writer gets when a database server (PostgreSQL) could not be reached. */
export const STORAGE_UNREACHABLE_REASON = 'storage unreachable; your messages are kept';

/**
 * Tells a writer its change cannot be stored now; its client keeps the change
 * and retries. 4507 for a full disk, which lasts until someone frees space,
 * so clients back off for seconds to a minute; 1013 for a database server out
 * of reach (`remote`), which a restart or a failover ends within seconds, as
 * every other path of a cluster that loses its PostgreSQL says (docs/SCALING.md).
 */
export function refuseForOutage(connection: Connection, remote = false): void {
  if (remote) connection.close(CloseCode.tryAgainLater, STORAGE_UNREACHABLE_REASON);
  else connection.close(CloseCode.storageUnavailable, STORAGE_UNAVAILABLE_REASON);
}
