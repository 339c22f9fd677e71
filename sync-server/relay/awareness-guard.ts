/**
 * Checks an awareness update (presence, typing) before the room applies and
 * forwards it. Awareness is not stored, but it reaches every member, so a
 * connection may only set states under Yjs client ids that are its person's:
 * not the server's, not an id another person writes the document with, not
 * an id another person's connection is using for presence. It stays small
 * and holds few ids. (Its rate is limited in frame-rate-limits.ts.)
 */
import * as decoding from 'lib0/decoding';
import type { Connection } from './connection.js';
import type { UpdateRefusal } from './room.js';

/** Bytes of one awareness update: a name, a colour, a typing flag fit many times over. */
export const MAX_AWARENESS_BYTES = 8 * 1024;
/** Client ids one connection may set presence for (one per replica; a few spare for a client id change). */
export const MAX_AWARENESS_IDS_PER_CONNECTION = 4;

export interface AwarenessContext {
  connections: Iterable<Connection>;
  /** The room's own client id (the server's presence, e.g. the robot typing). */
  serverClientId: number;
  /** Who writes the document under this client id, if anyone yet. */
  ownerOf(clientId: number): string | undefined;
}

/**
 * Returns the refusal, or null when the update may be applied. An id used
 * by another connection of the same person moves to this one (a reconnect
 * before the old socket was noticed dead), so the old one's close does not
 * clear the new presence.
 */
export function checkAwarenessUpdate(update: Uint8Array, connection: Connection, context: AwarenessContext): UpdateRefusal | null {
  if (update.byteLength > MAX_AWARENESS_BYTES) return { rule: 'awareness-too-large', detail: `${update.byteLength} bytes` };
  const ids: number[] = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_AWARENESS_IDS_PER_CONNECTION) return { rule: 'too-many-client-ids', detail: `${count} awareness states` };
    for (let i = 0; i < count; i++) {
      ids.push(decoding.readVarUint(decoder));
      decoding.readVarUint(decoder); // clock
      decoding.readVarString(decoder); // state as JSON
    }
    if (decoding.hasContent(decoder)) return { rule: 'malformed-awareness', detail: 'trailing bytes' };
  } catch {
    return { rule: 'malformed-awareness', detail: 'does not decode' };
  }
  const userId = connection.identity.userId;
  const moving: Array<[Connection, number]> = [];
  let added = 0;
  for (const id of ids) {
    if (connection.awarenessIds.has(id)) continue;
    if (id === context.serverClientId) return { rule: 'foreign-client-id', detail: "the server's presence" };
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
