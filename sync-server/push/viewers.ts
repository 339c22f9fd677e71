/**
 * Who has a conversation open and in view right now. The page says so in
 * its presence (`viewing: true` in the document's awareness state, set by
 * client/controllers/viewing-controller.ts while the conversation is open
 * and the tab visible); the relay knows which person each presence
 * belongs to from the connection that set it (awareness-guard.ts lets a
 * connection set presence only under its own person's client ids).
 */
import type { Room } from '../relay/room.js';

/** The awareness field the page sets while it shows the conversation. */
export const VIEWING_FIELD = 'viewing';

export function viewersOf(room: Room): Set<string> {
  const viewers = new Set<string>();
  const states = room.presence.states;
  for (const connection of room.connections) {
    for (const clientId of connection.awarenessIds) {
      const state = states.stateOf(clientId);
      if (state && state[VIEWING_FIELD] === true) viewers.add(connection.identity.userId);
    }
  }
  return viewers;
}
