/**
 * Who has a conversation open and in view right now. The page says so in
 * its presence (`viewing: true` in the document's awareness state, set by
 * client/controllers/viewing-controller.ts while the conversation is open
 * and the tab visible); the relay knows which person each presence
 * belongs to from the connection that set it (awareness-guard.ts lets a
 * connection set presence only under its own person's client ids).
 */
import { parseState } from '../relay/presence-states.js';
import type { Room } from '../relay/room.js';

/** The awareness field the page sets while it shows the conversation. */
export const VIEWING_FIELD = 'viewing';

export function viewersOf(room: Room): Set<string> {
  const viewers = new Set<string>();
  const states = room.presence.states;
  // One callback per call, not an iterator per connection: this runs for every stored message (issue 14, session 13).
  let userId = '';
  const visit = (clientId: number) => {
    if (!viewers.has(userId) && isViewing(states.jsonOf(clientId))) viewers.add(userId);
  };
  for (const connection of room.connections) {
    userId = connection.identity.userId;
    connection.awarenessIds.forEach(visit);
  }
  return viewers;
}

/**
 * Whether a shown state says `viewing: true`. A state that does not mention the field is not parsed (a page's state is
 * parsed for every stored message otherwise); one spelling the name with JSON escapes only hides its own viewing.
 */
function isViewing(json: string | null): boolean {
  if (json === null || !json.includes(VIEWING_FIELD)) return false;
  return parseState(json)?.[VIEWING_FIELD] === true;
}
