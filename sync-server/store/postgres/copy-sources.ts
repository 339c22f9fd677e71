/**
 * What `copy-to-postgres` does with each sublevel of the embedded store:
 * copied into a table (and counted on both sides afterwards), an index of
 * LevelDB's that PostgreSQL keeps as an index of its own, or left behind
 * with the reason. A sublevel the store holds that is named nowhere here
 * (a store added later and forgotten) stops the copy before anything is
 * written: a copy that silently leaves records behind is worse than none.
 */
import type { Database } from '../database.js';

/** A table and the sublevel whose keys it must match one for one (its count is checked after the copy). */
export interface CopiedTable {
  table: string;
  sublevel: string;
  /** The rows the sublevel holds, when an entry holds several (the search runs); else one per key. */
  rowsIn?: (db: Database) => Promise<number>;
}

/** Every copied table with the sublevel it counts against. `doc` (one row per document) is counted by copy-documents.ts. */
export const COPIED_TABLES: readonly CopiedTable[] = [
  { table: 'users', sublevel: 'users' },
  { table: 'sessions', sublevel: 'sessions' },
  { table: 'one_time_tokens', sublevel: 'tokens' },
  { table: 'conversations', sublevel: 'convs' },
  { table: 'memberships', sublevel: 'members' },
  { table: 'friendships', sublevel: 'friends' },
  { table: 'friend_requests', sublevel: 'requests' },
  { table: 'blocks', sublevel: 'blocks' },
  { table: 'invites', sublevel: 'invites' },
  { table: 'reminders', sublevel: 'reminders' },
  { table: 'sites', sublevel: 'sites' },
  { table: 'site_visitors', sublevel: 'siteVisitors' },
  { table: 'guest_tokens', sublevel: 'guestTokens' },
  { table: 'push_subscriptions', sublevel: 'pushSubscriptions' },
  { table: 'push_settings', sublevel: 'pushSettings' },
  { table: 'push_mutes', sublevel: 'pushMutes' },
  { table: 'push_badge_counts', sublevel: 'pushUnread' },
  { table: 'push_digests', sublevel: 'pushDigest' },
  { table: 'last_seen', sublevel: 'lastSeen' },
  { table: 'shared_heads', sublevel: 'sharedHeads' },
  { table: 'blobs', sublevel: 'blobs' },
  { table: 'blob_refs', sublevel: 'blobRefs' },
  { table: 'doc_update', sublevel: 'docs' },
  { table: 'doc_client_owner', sublevel: 'clientOwners' },
  { table: 'search_messages', sublevel: 'searchMessages' },
  { table: 'search_runs', sublevel: 'searchRuns' },
  { table: 'search_documents', sublevel: 'searchConversations' },
  { table: 'search_clocks', sublevel: 'searchClocks' },
];

/**
 * The cluster's tables the copy leaves empty, and why: what a running
 * cluster writes about itself. `doc` is filled by copy-documents.ts.
 */
export const RUNTIME_TABLES: Readonly<Record<string, string>> = {
  relay_process: 'each relay registers itself with a lease when it starts',
  revocations: "sign-outs and removals of the last hour, for other relays' sockets",
  schema_migrations: 'written by the migrations themselves',
};

/** LevelDB's second indexes: PostgreSQL answers the same reads from the copied tables' own indexes. */
export const DERIVED_SUBLEVELS: Readonly<Record<string, string>> = {
  emails: 'users (unique index on the email)',
  names: 'users (index on the lower-case name)',
  userSessions: 'sessions (index by person)',
  memberOf: 'memberships (index by person)',
  requestsOf: 'friend_requests (from_id, to_id)',
  requestPairs: 'friend_requests (unique from_id, to_id)',
  invitesOf: 'invites (index by conversation)',
  sitesOf: 'sites (index by owner)',
  pushEndpoints: 'push_subscriptions (primary key)',
};

/** Sublevels not copied, and why. */
export const LEFT_BEHIND: Readonly<Record<string, string>> = {
  meta: "the LevelDB store's own bookkeeping (the probe write after a reopen)",
  pushKeys: 'the VAPID key pair: a cluster takes it from VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (see --vapid-env)',
  searchTerms: "the search index's first layout, emptied at start since index version 2",
  searchPostings:
    "the search index's postings before runs, turned into runs and emptied at start, or by the copy first (search/message-index-store.ts)",
};

/** Most sublevels the scan walks past before it gives up (a store has a few dozen). */
const MAX_SUBLEVELS = 1_000;

/**
 * The names of the sublevels holding at least one key. A sublevel's keys are
 * `!name!key` in the root, so the scan reads one key and then jumps past
 * every key of that sublevel (`!name"`: `"` follows `!`).
 */
export async function sublevelsInStore(db: Database): Promise<string[]> {
  const names: string[] = [];
  let from = '';
  for (let i = 0; i < MAX_SUBLEVELS; i++) {
    const [key] = await db.root.keys({ gt: from, limit: 1 }).all();
    if (key === undefined) return names;
    const match = /^!([^!]+)!/.exec(key);
    if (!match) throw new Error(`the store holds a key outside any sublevel: ${JSON.stringify(key.slice(0, 40))}`);
    names.push(match[1]);
    from = `!${match[1]}"`;
  }
  throw new Error(`the store holds more than ${MAX_SUBLEVELS} sublevels`);
}

/** Sublevels in the store that this copy does not know what to do with. */
export async function unknownSublevels(db: Database): Promise<string[]> {
  const known = new Set([...COPIED_TABLES.map((t) => t.sublevel), ...Object.keys(DERIVED_SUBLEVELS), ...Object.keys(LEFT_BEHIND)]);
  return (await sublevelsInStore(db)).filter((name) => !known.has(name));
}

/** How many keys a sublevel holds, read afresh (the verification's side of each count). */
export async function keysIn(db: Database, sublevel: string): Promise<number> {
  let count = 0;
  for await (const _key of db.root.sublevel(sublevel).keys()) count++;
  return count;
}
