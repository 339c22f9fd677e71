/**
 * The stores a server is built on, behind their interfaces: in the embedded
 * LevelDB (DATA_DIR) by default, in PostgreSQL when `DATABASE_URL` is set
 * (cluster mode, docs/SCALING.md "State in PostgreSQL"), so that every relay
 * of a cluster sees the same people, sessions, memberships, friends, invites,
 * reminders, widget sites, push devices, notification settings, mutes,
 * badge counts, the mail digest's records and pictures.
 * Stores not listed here are still in LevelDB in both modes.
 */
import type pg from 'pg';
import type { BlobStore } from '../blobs/blob-store.js';
import { LevelBlobStore } from '../blobs/level-blob-store.js';
import type { BadgeCountStore } from './badge-counts.js';
import type { ConversationStore } from './conversations.js';
import type { Database } from './database.js';
import type { DigestRecordStore } from './digest-records.js';
import type { FriendStore } from './friends.js';
import type { InviteStore } from './invites.js';
import { LevelBadgeCountStore } from './level-badge-counts.js';
import { LevelDigestRecordStore } from './level-digest-records.js';
import { LevelFriendStore } from './level-friends.js';
import { LevelInviteStore } from './level-invites.js';
import { LevelPushPreferenceStore } from './level-push-preferences.js';
import { LevelPushSubscriptionStore } from './level-push-subscriptions.js';
import { LevelReminderStore } from './level-reminders.js';
import { LevelSiteStore } from './level-sites.js';
import { LevelConversationStore } from './level-conversations.js';
import { LevelSessionRecordStore } from './level-sessions.js';
import { LevelTokenRecordStore } from './level-tokens.js';
import { LevelUserStore } from './level-users.js';
import { PostgresBadgeCountStore } from './postgres/postgres-badge-counts.js';
import { PostgresBlobStore } from './postgres/postgres-blob-store.js';
import { PostgresConversationStore } from './postgres/postgres-conversations.js';
import { PostgresDigestRecordStore } from './postgres/postgres-digest-records.js';
import { PostgresFriendStore } from './postgres/postgres-friends.js';
import { PostgresInviteStore } from './postgres/postgres-invites.js';
import { PostgresPushPreferenceStore } from './postgres/postgres-push-preferences.js';
import { PostgresPushSubscriptionStore } from './postgres/postgres-push-subscriptions.js';
import { PostgresReminderStore } from './postgres/postgres-reminders.js';
import { PostgresSiteStore } from './postgres/postgres-sites.js';
import { PostgresSessionRecordStore } from './postgres/postgres-sessions.js';
import { PostgresTokenRecordStore } from './postgres/postgres-tokens.js';
import { PostgresUserStore } from './postgres/postgres-users.js';
import type { PushPreferenceStore } from './push-preferences.js';
import type { LastSeenStore } from './last-seen.js';
import { LevelLastSeenStore } from './level-last-seen.js';
import { PostgresLastSeenStore } from './postgres/postgres-last-seen.js';
import type { PushSubscriptionStore } from './push-subscriptions.js';
import type { ReminderStore } from './reminders.js';
import type { SessionRecordStore } from './sessions.js';
import type { SiteStore } from './sites.js';
import type { StoreHealth } from './store-health.js';
import type { TokenRecordStore } from './tokens.js';
import type { UserStore } from './users.js';

export interface ServerStores {
  users: UserStore;
  conversations: ConversationStore;
  sessions: SessionRecordStore;
  tokens: TokenRecordStore;
  friends: FriendStore;
  invites: InviteStore;
  reminders: ReminderStore;
  sites: SiteStore;
  pushSubscriptions: PushSubscriptionStore;
  /** Notification settings and mutes, badge counts, the mail digest's records (push/). */
  pushPreferences: PushPreferenceStore;
  badgeCounts: BadgeCountStore;
  digestRecords: DigestRecordStore;
  /** When each person was last seen, and whether they hide it (presence/). */
  lastSeen: LastSeenStore;
  /** Pictures: bytes in DATA_DIR/blobs, or `bytea` in PostgreSQL. */
  blobs: BlobStore;
  /** The embedded store's health when these live in it: a session renewal waits while it refuses writes (auth/session.ts). */
  health?: Pick<StoreHealth, 'noteSkippedWrite'>;
}

/** PostgreSQL's stores when a pool is given (its schema migrated), LevelDB's (and DATA_DIR's files) otherwise. */
export function serverStores(db: Database, dataDir: string, pool?: pg.Pool): ServerStores {
  if (pool) {
    return {
      users: new PostgresUserStore(pool),
      conversations: new PostgresConversationStore(pool),
      sessions: new PostgresSessionRecordStore(pool),
      tokens: new PostgresTokenRecordStore(pool),
      friends: new PostgresFriendStore(pool),
      invites: new PostgresInviteStore(pool),
      reminders: new PostgresReminderStore(pool),
      sites: new PostgresSiteStore(pool),
      pushSubscriptions: new PostgresPushSubscriptionStore(pool),
      pushPreferences: new PostgresPushPreferenceStore(pool),
      badgeCounts: new PostgresBadgeCountStore(pool),
      digestRecords: new PostgresDigestRecordStore(pool),
      lastSeen: new PostgresLastSeenStore(pool),
      blobs: new PostgresBlobStore(pool),
    };
  }
  return {
    users: new LevelUserStore(db),
    conversations: new LevelConversationStore(db),
    sessions: new LevelSessionRecordStore(db),
    tokens: new LevelTokenRecordStore(db),
    friends: new LevelFriendStore(db),
    invites: new LevelInviteStore(db),
    reminders: new LevelReminderStore(db),
    sites: new LevelSiteStore(db),
    pushSubscriptions: new LevelPushSubscriptionStore(db),
    pushPreferences: new LevelPushPreferenceStore(db),
    badgeCounts: new LevelBadgeCountStore(db),
    digestRecords: new LevelDigestRecordStore(db),
    lastSeen: new LevelLastSeenStore(db),
    blobs: new LevelBlobStore(db, dataDir),
    health: db.health,
  };
}
