/**
 * The server's records copied from the embedded store into the cluster's
 * tables by `copy-to-postgres` (every store of store/server-stores.ts, and
 * the search index): each table's rows made from one sublevel, key for key,
 * the way the PostgreSQL store of that table writes them (postgres-*.ts), so
 * the relays read them as their own. Pictures and files: copy-blobs.ts.
 */
import type pg from 'pg';
import { storedLocale } from '../../i18n/push-texts.js';
import type {
  BlockRecord,
  ConversationRecord,
  Database,
  FriendRecord,
  FriendRequestRecord,
  InviteRecord,
  MembershipRecord,
  ReminderRecord,
  SessionRecord,
  SiteRecord,
  TokenRecord,
  UserRecord,
} from '../database.js';
import type { DigestRecord } from '../digest-records.js';
import type { LastSeenRecord } from '../last-seen.js';
import type { HeadRecord } from '../../participants/head-table.js';
import { KEY_SEPARATOR } from '../keys.js';
import type { StoredPushSettings } from '../push-preferences.js';
import type { SubscriptionRecord } from '../push-subscriptions.js';
import { type Column, RowWriter } from './copy-rows.js';

/** One table made from one sublevel: its columns and the row (or none) each key and value gives. */
interface RecordCopy {
  table: string;
  sublevel: string;
  columns: ReadonlyArray<[name: string, type: Column['type']]>;
  // The values are whatever the sublevel holds: each copy says what it reads (the stores' own record types).
  // biome-ignore lint/suspicious/noExplicitAny: the value's type differs per sublevel; each row function names its own
  row(key: string, value: any): readonly unknown[];
  /** For a sublevel whose entries hold several rows (the search index's runs): every row of one entry. */
  // biome-ignore lint/suspicious/noExplicitAny: as `row`
  rows?(key: string, value: any): ReadonlyArray<readonly unknown[]>;
}

/** The parts of a composite key (`convId!userId`); ids never hold the separator, so a key of another shape is damage. */
function partsOf(key: string, count: number): string[] {
  const parts = key.split(KEY_SEPARATOR);
  if (parts.length !== count) throw new Error(`a key of ${count} parts expected, found ${JSON.stringify(key)}`);
  return parts;
}

const orNull = <T>(value: T | undefined): T | null => value ?? null;

const RECORD_COPIES: readonly RecordCopy[] = [
  {
    table: 'users',
    sublevel: 'users',
    columns: [
      ['id', 'text'],
      ['email', 'text'],
      ['name_lower', 'text'],
      ['activated', 'boolean'],
      ['record', 'jsonb'],
    ],
    row: (id: string, user: UserRecord) => [id, user.email, user.name.toLowerCase(), user.activated, user],
  },
  {
    table: 'sessions',
    sublevel: 'sessions',
    columns: [
      ['id', 'text'],
      ['user_id', 'text'],
      ['expires_at', 'bigint'],
      ['secret_hash', 'text'],
      ['legacy_until', 'bigint'],
      ['created_at', 'bigint'],
      ['last_used_at', 'bigint'],
      ['device', 'text'],
    ],
    row: (id: string, s: SessionRecord) => [
      id,
      s.userId,
      s.expiresAt,
      orNull(s.secretHash),
      orNull(s.legacyUntil),
      orNull(s.createdAt),
      orNull(s.lastUsedAt),
      orNull(s.device),
    ],
  },
  {
    table: 'one_time_tokens',
    sublevel: 'tokens',
    columns: [
      ['hash', 'text'],
      ['user_id', 'text'],
      ['purpose', 'text'],
      ['expires_at', 'bigint'],
      ['email', 'text'],
    ],
    row: (hash: string, t: TokenRecord) => [hash, t.userId, t.purpose, t.expiresAt, orNull(t.email)],
  },
  {
    table: 'conversations',
    sublevel: 'convs',
    columns: [
      ['id', 'text'],
      ['record', 'jsonb'],
    ],
    row: (id: string, conversation: ConversationRecord) => [id, conversation],
  },
  {
    table: 'memberships',
    sublevel: 'members',
    columns: [
      ['conversation_id', 'text'],
      ['user_id', 'text'],
      ['role', 'text'],
      ['joined_at', 'bigint'],
    ],
    row: (key: string, m: MembershipRecord) => [...partsOf(key, 2), m.role, m.joinedAt],
  },
  {
    table: 'friendships',
    sublevel: 'friends',
    columns: [
      ['user_id', 'text'],
      ['friend_id', 'text'],
      ['since', 'bigint'],
      ['remark', 'text'],
    ],
    row: (key: string, f: FriendRecord) => [...partsOf(key, 2), f.since, orNull(f.remark)],
  },
  {
    table: 'friend_requests',
    sublevel: 'requests',
    columns: [
      ['id', 'text'],
      ['from_id', 'text'],
      ['to_id', 'text'],
      ['note', 'text'],
      ['created_at', 'bigint'],
    ],
    row: (id: string, r: FriendRequestRecord) => [id, r.from, r.to, r.note, r.createdAt],
  },
  {
    table: 'blocks',
    sublevel: 'blocks',
    columns: [
      ['blocker_id', 'text'],
      ['blocked_id', 'text'],
      ['since', 'bigint'],
    ],
    row: (key: string, b: BlockRecord) => [...partsOf(key, 2), b.since],
  },
  {
    table: 'invites',
    sublevel: 'invites',
    columns: [
      ['id', 'text'],
      ['conversation_id', 'text'],
      ['created_by', 'text'],
      ['created_at', 'bigint'],
      ['expires_at', 'bigint'],
      ['max_uses', 'integer'],
      ['uses', 'integer'],
      ['revoked', 'boolean'],
    ],
    row: (id: string, i: InviteRecord) => [id, i.conversationId, i.createdBy, i.createdAt, i.expiresAt, i.maxUses, i.uses, i.revoked],
  },
  {
    // Claims are not copied: in LevelDB they live in the process's memory, gone with it.
    table: 'reminders',
    sublevel: 'reminders',
    columns: [
      ['id', 'text'],
      ['conversation_id', 'text'],
      ['user_id', 'text'],
      ['text', 'text'],
      ['due_at', 'bigint'],
    ],
    row: (_key: string, r: ReminderRecord) => [r.id, r.conversationId, r.userId, r.text, r.dueAt],
  },
  {
    table: 'sites',
    sublevel: 'sites',
    columns: [
      ['key', 'text'],
      ['owner_id', 'text'],
      ['record', 'jsonb'],
    ],
    row: (key: string, site: SiteRecord) => [key, site.ownerId, site],
  },
  {
    table: 'site_visitors',
    sublevel: 'siteVisitors',
    columns: [
      ['site_key', 'text'],
      ['guest_id', 'text'],
    ],
    row: (key: string) => partsOf(key, 2),
  },
  {
    table: 'guest_tokens',
    sublevel: 'guestTokens',
    columns: [
      ['token_hash', 'text'],
      ['guest_id', 'text'],
    ],
    row: (hash: string, guestId: string) => [hash, guestId],
  },
  {
    table: 'push_subscriptions',
    sublevel: 'pushSubscriptions',
    columns: [
      ['id', 'text'],
      ['user_id', 'text'],
      ['session_id', 'text'],
      ['endpoint', 'text'],
      ['p256dh', 'text'],
      ['auth', 'text'],
      ['created_at', 'bigint'],
      ['locale', 'text'],
    ],
    row: (key: string, s: SubscriptionRecord) => {
      const [userId, id] = partsOf(key, 2);
      return [id, userId, s.sessionId, s.endpoint, s.keys.p256dh, s.keys.auth, s.createdAt, storedLocale(s.locale)];
    },
  },
  {
    table: 'push_settings',
    sublevel: 'pushSettings',
    columns: [
      ['user_id', 'text'],
      ['show_content', 'boolean'],
      ['digest_after_minutes', 'integer'],
      ['locale', 'text'],
    ],
    row: (userId: string, s: StoredPushSettings) => [userId, s.showContent, orNull(s.digestAfterMinutes), orNull(s.locale)],
  },
  {
    table: 'push_mutes',
    sublevel: 'pushMutes',
    columns: [
      ['user_id', 'text'],
      ['conversation_id', 'text'],
    ],
    row: (key: string) => partsOf(key, 2),
  },
  {
    table: 'push_badge_counts',
    sublevel: 'pushUnread',
    columns: [
      ['user_id', 'text'],
      ['conversation_id', 'text'],
      ['count', 'integer'],
    ],
    row: (key: string, count: number) => [...partsOf(key, 2), count],
  },
  {
    table: 'push_digests',
    sublevel: 'pushDigest',
    columns: [
      ['user_id', 'text'],
      ['since', 'bigint'],
      ['record', 'jsonb'],
    ],
    row: (userId: string, digest: DigestRecord) => [userId, digest.since, digest],
  },
  {
    // As it was stored: whether a mark left "online" by the stopped server still counts is the presence rules' call.
    table: 'last_seen',
    sublevel: 'lastSeen',
    columns: [
      ['user_id', 'text'],
      ['online', 'boolean'],
      ['seen_at', 'bigint'],
      ['hidden', 'boolean'],
    ],
    row: (userId: string, r: LastSeenRecord) => [userId, r.online, r.seenAt, r.hidden ?? false],
  },
  {
    // With their revs: a client's `since` from the embedded server goes on meaning the same (the sequence is moved past them below).
    table: 'shared_heads',
    sublevel: 'sharedHeads',
    columns: [
      ['conversation_id', 'text'],
      ['rev', 'bigint'],
      ['head', 'jsonb'],
    ],
    row: (conversationId: string, r: HeadRecord) => [conversationId, r.rev, r.head],
  },
  {
    table: 'blob_refs',
    sublevel: 'blobRefs',
    columns: [
      ['blob_id', 'text'],
      ['conversation_id', 'text'],
    ],
    row: (key: string) => partsOf(key, 2),
  },
  {
    table: 'search_messages',
    sublevel: 'searchMessages',
    columns: [
      ['conversation_id', 'text'],
      ['message_id', 'text'],
      ['author', 'text'],
      ['text', 'text'],
      ['created_at', 'bigint'],
      ['seq', 'integer'],
      ['terms', 'text[]'],
      ['run', 'text'],
    ],
    row: (key: string, m: { author: string; text: string; createdAt: number; seq: number; terms: string[]; run?: string }) => [
      ...partsOf(key, 2),
      m.author,
      m.text,
      m.createdAt,
      m.seq,
      m.terms,
      m.run ?? null,
    ],
  },
  {
    // `term!time!runId` → `time!convId!messageId;…` (search/newest-postings.ts): the same layout in both engines.
    table: 'search_runs',
    sublevel: 'searchRuns',
    columns: [
      ['key', 'text'],
      ['postings', 'text'],
    ],
    row: (key: string, postings: string) => [key, postings],
  },
  {
    table: 'search_documents',
    sublevel: 'searchConversations',
    columns: [
      ['doc_name', 'text'],
      ['version', 'integer'],
    ],
    row: (docName: string, version: number) => [docName, version],
  },
  {
    table: 'search_clocks',
    sublevel: 'searchClocks',
    columns: [
      ['doc_name', 'text'],
      ['next_clock', 'bigint'],
    ],
    row: (docName: string, nextClock: number) => [docName, nextClock],
  },
];

/** Copies every record table; returns how many rows each got. */
export async function copyRecords(db: Database, client: pg.ClientBase): Promise<Map<string, number>> {
  const written = new Map<string, number>();
  for (const copy of RECORD_COPIES) {
    const writer = new RowWriter(
      client,
      copy.table,
      copy.columns.map(([name, type]) => ({ name, type })),
    );
    // Every value is JSON except the search runs' (utf8 postings).
    const encoding = copy.sublevel === 'searchRuns' ? 'utf8' : 'json';
    for await (const [key, value] of db.root.sublevel<string, unknown>(copy.sublevel, { valueEncoding: encoding }).iterator()) {
      for (const row of copy.rows ? copy.rows(key, value) : [copy.row(key, value)]) await writer.add(row);
    }
    await writer.flush();
    written.set(copy.table, writer.written);
  }
  // The cluster numbers heads from a sequence (postgres-head-records.ts): past every copied rev, so a new head is never below one a client holds.
  await client.query("SELECT setval('shared_head_rev', max(rev)) FROM shared_heads HAVING count(*) > 0");
  return written;
}
