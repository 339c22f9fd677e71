/** The presence API's request schema (docs/API.md, "Presence"); the shapes it answers with are in presence.ts. */
import { z } from 'zod';
import { LAST_SEEN_AUDIENCES } from './presence.js';

export type { LastSeenAudience, PresenceAnswer, PresenceOf } from './presence.js';

/** `PUT /api/presence/settings`: the body. */
export const LastSeenSettingRequest = z.object({ lastSeen: z.enum(LAST_SEEN_AUDIENCES) });
export type LastSeenSettingRequest = z.infer<typeof LastSeenSettingRequest>;
