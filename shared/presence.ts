/**
 * Presence (issue 15): whether a friend is online now or when they were last
 * seen, and who may know mine (docs/API.md, "Presence"). The server decides
 * what each person may see (sync-server/presence/presence-service.ts); this
 * file is the shape of its answer and of the one setting, without zod so the
 * page reads it without bundling zod (the request schema: presence-api.ts).
 */

/** Who may see when I was last online: my friends, or nobody (then I see nobody's either). */
export const LAST_SEEN_AUDIENCES = ['friends', 'nobody'] as const;
export type LastSeenAudience = (typeof LAST_SEEN_AUDIENCES)[number];

/** One friend's presence as I may see it: online now, or the time they were last seen (ms since the epoch). */
export type PresenceOf = { online: true } | { online: false; lastSeenAt: number };

/** `GET /api/presence`: my setting, and the friends whose presence I may see (a friend who hides theirs is left out). */
export interface PresenceAnswer {
  lastSeen: LastSeenAudience;
  people: Record<string, PresenceOf>;
}
