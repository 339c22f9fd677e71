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
 * not newer than the one the relay holds, `applyAwarenessUpdate` ignores
 * them, and so do these rules.
 */
import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';
import type { AwarenessRule, Refusal } from '../../../shared/refusals.js';
import type { Connection } from '../connection.js';

/** Bytes of one presence state: a name, a colour, a typing flag fit many times over. */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;
/** Client ids one connection may set presence for (one per replica; a few spare for a client id change). */
export const MAX_AWARENESS_IDS_PER_CONNECTION = 4;

export interface AwarenessContext {
  awareness: Awareness;
  connections: Iterable<Connection>;
  /** Who writes the document under this client id, if anyone yet. */
  ownerOf(clientId: number): string | undefined;
}

export interface Entry {
  clientId: number;
  clock: number;
  json: string;
}

/**
 * Returns the refusal, or null when the update may be applied. An id used
 * by another connection of the same person moves to this one (a reconnect
 * before the old socket was noticed dead), so the old one's close does not
 * clear the new presence.
 */
export function checkAwarenessUpdate(update: Uint8Array, connection: Connection, context: AwarenessContext): Refusal<AwarenessRule> | null {
  const entries = decodeEntries(update);
  if (!entries) return { rule: 'malformed-awareness', detail: 'does not decode' };
  const userId = connection.identity.userId;
  const moving: Array<[Connection, number]> = [];
  let added = 0;
  for (const entry of entries) {
    const changes = changesState(context.awareness, entry);
    if (changes === null) return { rule: 'malformed-awareness', detail: 'a state is not JSON' };
    if (!changes) continue;
    if (entry.json.length > MAX_AWARENESS_STATE_BYTES) return { rule: 'awareness-too-large', detail: `${entry.json.length} bytes` };
    const id = entry.clientId;
    if (connection.awarenessIds.has(id)) continue;
    if (id === context.awareness.clientID) return { rule: 'foreign-client-id', detail: "the server's presence" };
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

/** The entries of an awareness update (client id, clock, state JSON); null when it does not decode. */
export function decodeEntries(update: Uint8Array): Entry[] | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      entries.push({
        clientId: decoding.readVarUint(decoder),
        clock: decoding.readVarUint(decoder),
        json: decoding.readVarString(decoder),
      });
    }
    return decoding.hasContent(decoder) ? null : entries;
  } catch {
    return null;
  }
}

/** Whether y-protocols would change anything for this entry (its own test); null when the state is not JSON. */
export function changesState(awareness: Awareness, entry: Entry): boolean | null {
  const current = awareness.meta.get(entry.clientId)?.clock ?? 0;
  if (entry.clock < current) return false;
  let state: unknown;
  try {
    state = JSON.parse(entry.json);
  } catch {
    return null;
  }
  return current < entry.clock || (state === null && awareness.states.has(entry.clientId));
}
