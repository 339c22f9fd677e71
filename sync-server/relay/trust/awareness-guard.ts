/**
 * Checks an awareness update (presence, typing) before the room applies and
 * forwards it. Awareness is not stored, but it reaches every member, so a
 * connection may only change states under Yjs client ids that are its
 * person's: not the server's, not an id another person writes the document
 * with, not an id another person's connection is using for presence; with
 * few ids per connection and small states. (Its rate is limited in
 * frame-rate-limits.ts.)
 *
 * The stock y-websocket client re-sends every presence change it receives
 * (its awareness handler does not look at the origin), so honest frames
 * carry other people's states too. Those entries are echoes: their clock is
 * not newer than the one the relay holds, applying them changes nothing
 * (presence-states.ts, as y-protocols), and these rules skip them.
 */
import type { AwarenessRule, Refusal } from '../../../shared/refusals.js';
import { decodeAwarenessUpdate } from '../awareness-wire.js';
import type { Connection } from '../connection.js';
import { readEntries, type PresenceStates, type ReadEntry } from '../presence-states.js';

/** Bytes of one presence state: a name, a colour, a typing flag fit many times over. */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;
/** Client ids one connection may set presence for (one per replica; a few spare for a client id change). */
export const MAX_AWARENESS_IDS_PER_CONNECTION = 4;

export interface AwarenessContext {
  /** The document's presence as the relay holds it (the server's own client id among it). */
  states: PresenceStates;
  connections: Iterable<Connection>;
  /** Who writes the document under this client id, if anyone yet. */
  ownerOf(clientId: number): string | undefined;
}

/** An awareness update's entries with each state read once, or the refusal when it does not decode or a state is not JSON. */
export function readAwarenessUpdate(update: Uint8Array): ReadEntry[] | Refusal<AwarenessRule> {
  const entries = decodeAwarenessUpdate(update);
  if (!entries) return { rule: 'malformed-awareness', detail: 'does not decode' };
  return readEntries(entries) ?? { rule: 'malformed-awareness', detail: 'a state is not JSON' };
}

/**
 * Returns the refusal, or null when the update may be applied. An id used
 * by another connection of the same person moves to this one (a reconnect
 * before the old socket was noticed dead), so the old one's close does not
 * clear the new presence.
 */
export function checkAwarenessUpdate(
  entries: readonly ReadEntry[],
  connection: Connection,
  context: AwarenessContext,
): Refusal<AwarenessRule> | null {
  const userId = connection.identity.userId;
  const moving: Array<[Connection, number]> = [];
  let added = 0;
  for (const entry of entries) {
    if (!context.states.changes(entry)) continue;
    if (entry.json.length > MAX_AWARENESS_STATE_BYTES) return { rule: 'awareness-too-large', detail: `${entry.json.length} bytes` };
    const id = entry.clientId;
    if (connection.awarenessIds.has(id)) continue;
    if (id === context.states.localId) return { rule: 'foreign-client-id', detail: "the server's presence" };
    const owner = context.ownerOf(id);
    if (owner !== undefined && owner !== userId) return { rule: 'foreign-client-id', detail: `client ${id} belongs to another person` };
    for (const other of context.connections) {
      if (other === connection || !other.awarenessIds.has(id)) continue;
      if (other.identity.userId !== userId) return { rule: 'foreign-client-id', detail: `client ${id} is another person's presence` };
      moving.push([other, id]);
    }
    added++;
  }
  if (connection.awarenessIds.size + added > MAX_AWARENESS_IDS_PER_CONNECTION) {
    return { rule: 'too-many-client-ids', detail: 'too many presence ids on one connection' };
  }
  for (const [other, id] of moving) other.awarenessIds.delete(id);
  return null;
}
