/** Server configuration, read from the environment once at start. */
import type { SearchCatchUpOptions } from './search/search-catch-up.js';
import path from 'node:path';
import { DEFAULT_FILE_UPLOAD_MAX_BYTES, DEFAULT_GROUP_MEMBER_LIMIT, DEFAULT_UPLOAD_MAX_BYTES } from '../shared/limits.js';
import { pushConfigFromEnv, type PushConfig } from './push/push-config.js';
import { type RedisConfig, redisConfigFromEnv } from './cluster/redis-config.js';
import { type PostgresConfig, postgresConfigFromEnv } from './store/postgres/pool.js';
import { type MetricsConfig, metricsConfigFromEnv } from './operations/metrics-listener.js';
import { jsonLogger, logFormatFromEnv } from './operations/log-format.js';
import { DEFAULT_RELAY_RATE_LIMITS as RELAY, type RelayRateLimits } from './relay/frame-rate-limits.js';
import { DEFAULT_VALIDATOR_LIMITS as VALIDATOR } from './relay/trust/update-validator.js';
import { DEFAULT_RELAY_RESOURCE_LIMITS as RESOURCES, type RelayResourceLimits } from './relay/resource-limits.js';
import { DEFAULT_PRESENCE_LIMITS as PRESENCE, type PresenceLimits } from './relay/presence-limits.js';
import { DEFAULT_WRITE_QUOTA as WRITES, type WriteQuotaConfig } from './relay/write-quota.js';
import { DEFAULT_HISTORY_SEGMENTS, type HistorySegmentBounds } from './segments/conversation-segments.js';

export interface RateLimitConfig {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

export interface ServerConfig {
  port: number;
  /** Interface to listen on; loopback in tests. */
  host: string;
  dataDir: string;
  /** The address people use to reach the app; links in mails point here and `Origin` must match it. */
  publicUrl: string;
  /** When unset, mails are written to `${dataDir}/outbox`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Folder with the built client (vite build). */
  clientDir: string;
  /** How long an idle document stays loaded after its last connection leaves. */
  docUnloadGraceMs: number;
  /** How long a loaded room handles nothing before it keeps its document as bytes, not a Y.Doc (relay/room-dormancy.ts); 0: never. */
  roomDormantAfterMs: number;
  /** Bounds of the search index's catch-up at start (search/search-catch-up.ts); tests set them small. */
  searchCatchUp?: Partial<SearchCatchUpOptions>;
  /** Per conversation, at most one round of head writes to its members this often (participants/head-writer.ts). */
  headsCoalesceMs: number;
  /** Each conversation's head kept once and sent over `/mux`, a person's marks in their user document (the default; docs/PROTOCOL.md, "Shared conversation heads"). Off with HEADS_SHARED=0: a head per member in their user document. */
  headsShared: boolean;
  /** A person's own `user/<id>` unloads after the grace while their sockets stay subscribed (relay/standby-user-room.ts; issue 12). Off with USER_DOC_STANDBY=0. */
  userDocumentsStandBy: boolean;
  /** Updates in a document's log before it is compacted into one. */
  docCompactThreshold: number;
  /**
   * When a conversation's newest history segment closes and the next opens
   * (docs/SEGMENTS.md): messages and stored bytes; 0 leaves a bound out, and
   * both 0 (the default) turn rollover off until the client reads segments.
   */
  historySegments: HistorySegmentBounds;
  /** Free bytes DATA_DIR needs before a store that failed to write (full disk) is reopened. */
  storeMinFreeBytes: number;
  /** Whether the store check (store/store-check.ts) runs in the background at start. */
  storeCheckAtStart: boolean;
  /** Largest picture upload in bytes. */
  uploadMaxBytes: number;
  /** Largest file or voice message upload in bytes. */
  fileUploadMaxBytes: number;
  /** Most members a group may have. */
  groupMemberLimit: number;
  /** Most groups one person may be in (however they were added): a friend cannot bury them in groups. */
  groupsPerUserLimit: number;
  rateLimits: {
    loginPerAccount: RateLimitConfig;
    loginPerAddress: RateLimitConfig;
    register: RateLimitConfig;
    mailPerAddress: RateLimitConfig;
    friendRequests: RateLimitConfig;
    uploads: RateLimitConfig;
    visitorsPerAddress: RateLimitConfig;
    visitorsPerSite: RateLimitConfig;
    /** People one person adds to groups (creating or adding), per person. */
    groupAdds: RateLimitConfig;
  };
  /** Frames a relay connection (and a person over all theirs) may send: token buckets, 4429 past them. */
  relayRateLimits: RelayRateLimits;
  /** Bytes queued per connection and person, frame sizes, sockets per person and address (relay/resource-limits.ts). */
  relayResources: RelayResourceLimits;
  /** Bytes a person may write over time, and a document's size budget: 4413 past them (relay/write-quota.ts). */
  writeQuota: WriteQuotaConfig;
  /** Presence client ids and changes per person per document, batching, greeting size (relay/presence-limits.ts). */
  presenceLimits: PresenceLimits;
  /** Yjs client ids bound per person per document and per document (relay/trust/update-validator.ts): 4400 `too-many-client-ids` past them. */
  clientIdLimits: { perPersonPerDocument: number; perDocument: number };
  robot: {
    /** An OpenAI-compatible endpoint (base URL or full /chat/completions URL); unset = built-in answers only. */
    llmUrl: string | undefined;
    llmKey: string | undefined;
    llmModel: string;
    llmTimeoutMs: number;
    repliesPerMinute: number;
  };
  /** Web Push (docs/PUSH.md). */
  push: PushConfig;
  /** Redis for what relays share (rate limits, widget tickets, revocations); undefined = all in this process (docs/SCALING.md). */
  redis: RedisConfig | undefined;
  /** PostgreSQL for the documents (`DATABASE_URL`, docs/SCALING.md); undefined = everything in LevelDB, as always. */
  postgres: PostgresConfig | undefined;
  /** `GET /metrics` on a port of its own, loopback by default (operations/metrics-listener.ts); off without METRICS_PORT. */
  metrics: MetricsConfig;
  /** Log lines go here (LOG_FORMAT: text or JSON lines, operations/log-format.ts); tests pass a quiet or capturing logger. */
  log: Logger;
}

export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, context) => console.log(`[happy-chat] ${message}`, context ?? ''),
  warn: (message, context) => console.warn(`[happy-chat] ${message}`, context ?? ''),
  error: (message, context) => console.error(`[happy-chat] ${message}`, context ?? ''),
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** Builds the configuration from environment variables; `overrides` win (tests use them). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const port = intFromEnv(env, 'PORT', 8080);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const config: ServerConfig = {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    publicUrl,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Happy Chat <no-reply@localhost>',
    clientDir: path.resolve(env.CLIENT_DIR ?? './dist/client'),
    docUnloadGraceMs: intFromEnv(env, 'DOC_UNLOAD_GRACE_MS', 10_000),
    // 30 s: longer than the pauses of a conversation under way (each wake rebuilds the Y.Doc: ~ms per 500 messages),
    // short enough that the many tabs left open on a quiet conversation hold bytes (docs/ARCHITECTURE.md, "Dormant rooms").
    roomDormantAfterMs: intFromEnv(env, 'ROOM_DORMANT_AFTER_MS', 30_000),
    headsCoalesceMs: intFromEnv(env, 'HEADS_COALESCE_MS', 500),
    headsShared: env.HEADS_SHARED !== '0',
    userDocumentsStandBy: env.USER_DOC_STANDBY !== '0',
    docCompactThreshold: intFromEnv(env, 'DOC_COMPACT_THRESHOLD', 500),
    historySegments: {
      // docs/SEGMENTS.md, "The bound": 1,000 messages or 512 KiB, whichever comes first (both 0 turn rollover off).
      messages: intFromEnv(env, 'HISTORY_SEGMENT_MESSAGES', DEFAULT_HISTORY_SEGMENTS.messages),
      bytes: intFromEnv(env, 'HISTORY_SEGMENT_BYTES', DEFAULT_HISTORY_SEGMENTS.bytes),
      newInSegmentOne: DEFAULT_HISTORY_SEGMENTS.newInSegmentOne,
    },
    storeMinFreeBytes: intFromEnv(env, 'STORE_MIN_FREE_BYTES', 64 * 1024 * 1024),
    storeCheckAtStart: intFromEnv(env, 'STORE_CHECK_AT_START', 1) !== 0,
    uploadMaxBytes: intFromEnv(env, 'UPLOAD_MAX_BYTES', DEFAULT_UPLOAD_MAX_BYTES),
    fileUploadMaxBytes: intFromEnv(env, 'FILE_UPLOAD_MAX_BYTES', DEFAULT_FILE_UPLOAD_MAX_BYTES),
    groupMemberLimit: intFromEnv(env, 'GROUP_MEMBER_LIMIT', DEFAULT_GROUP_MEMBER_LIMIT),
    groupsPerUserLimit: intFromEnv(env, 'GROUPS_PER_USER_LIMIT', 500),
    rateLimits: {
      loginPerAccount: { limit: intFromEnv(env, 'RATE_LOGIN_PER_ACCOUNT', 10), windowMs: 15 * MINUTE },
      loginPerAddress: { limit: intFromEnv(env, 'RATE_LOGIN_PER_ADDRESS', 100), windowMs: 15 * MINUTE },
      register: { limit: intFromEnv(env, 'RATE_REGISTER_PER_ADDRESS', 20), windowMs: HOUR },
      mailPerAddress: { limit: intFromEnv(env, 'RATE_MAIL_PER_EMAIL', 3), windowMs: HOUR },
      friendRequests: { limit: intFromEnv(env, 'RATE_FRIEND_REQUESTS_PER_USER', 30), windowMs: HOUR },
      uploads: { limit: intFromEnv(env, 'RATE_UPLOADS_PER_USER', 120), windowMs: HOUR },
      visitorsPerAddress: { limit: intFromEnv(env, 'RATE_VISITORS_PER_ADDRESS', 20), windowMs: HOUR },
      visitorsPerSite: { limit: intFromEnv(env, 'RATE_VISITORS_PER_SITE', 2000), windowMs: HOUR },
      groupAdds: { limit: intFromEnv(env, 'RATE_GROUP_ADDS_PER_USER', 100), windowMs: HOUR },
    },
    relayRateLimits: {
      updatesPerConnection: {
        burst: intFromEnv(env, 'RELAY_UPDATE_BURST', RELAY.updatesPerConnection.burst),
        perSecond: intFromEnv(env, 'RELAY_UPDATES_PER_SECOND', RELAY.updatesPerConnection.perSecond),
      },
      updatesPerUser: {
        burst: intFromEnv(env, 'RELAY_USER_UPDATE_BURST', RELAY.updatesPerUser.burst),
        perSecond: intFromEnv(env, 'RELAY_USER_UPDATES_PER_SECOND', RELAY.updatesPerUser.perSecond),
      },
      awarenessPerConnection: {
        burst: intFromEnv(env, 'RELAY_AWARENESS_BURST', RELAY.awarenessPerConnection.burst),
        perSecond: intFromEnv(env, 'RELAY_AWARENESS_PER_SECOND', RELAY.awarenessPerConnection.perSecond),
      },
      awarenessPerUser: {
        burst: intFromEnv(env, 'RELAY_USER_AWARENESS_BURST', RELAY.awarenessPerUser.burst),
        perSecond: intFromEnv(env, 'RELAY_USER_AWARENESS_PER_SECOND', RELAY.awarenessPerUser.perSecond),
      },
    },
    writeQuota: {
      burstBytes: intFromEnv(env, 'WRITE_QUOTA_BURST_BYTES', WRITES.burstBytes),
      bytesPerHour: intFromEnv(env, 'WRITE_QUOTA_BYTES_PER_HOUR', WRITES.bytesPerHour),
      maxDocumentBytes: intFromEnv(env, 'DOC_MAX_BYTES', WRITES.maxDocumentBytes),
    },
    clientIdLimits: {
      perPersonPerDocument: intFromEnv(env, 'RELAY_CLIENT_IDS_PER_PERSON_PER_DOC', VALIDATOR.maxClientIdsPerPerson),
      perDocument: intFromEnv(env, 'RELAY_CLIENT_IDS_PER_DOC', VALIDATOR.maxClientIdsPerDocument),
    },
    presenceLimits: {
      idsPerPerson: intFromEnv(env, 'RELAY_PRESENCE_IDS_PER_PERSON', PRESENCE.idsPerPerson),
      changesPerPerson: {
        burst: intFromEnv(env, 'RELAY_PRESENCE_CHANGES_BURST', PRESENCE.changesPerPerson.burst),
        perSecond: intFromEnv(env, 'RELAY_PRESENCE_CHANGES_PER_SECOND', PRESENCE.changesPerPerson.perSecond),
      },
      tickMs: intFromEnv(env, 'RELAY_PRESENCE_TICK_MS', PRESENCE.tickMs),
      greetingBytes: intFromEnv(env, 'RELAY_PRESENCE_GREETING_BYTES', PRESENCE.greetingBytes),
    },
    relayResources: {
      queuedBytesPerConnection: intFromEnv(env, 'RELAY_QUEUED_BYTES_PER_CONNECTION', RESOURCES.queuedBytesPerConnection),
      queuedBytesPerPerson: intFromEnv(env, 'RELAY_QUEUED_BYTES_PER_PERSON', RESOURCES.queuedBytesPerPerson),
      maxSyncStep2Bytes: intFromEnv(env, 'RELAY_MAX_SYNC_STEP2_BYTES', RESOURCES.maxSyncStep2Bytes),
      receivingBytesPerPerson: intFromEnv(env, 'RELAY_RECEIVING_BYTES_PER_PERSON', RESOURCES.receivingBytesPerPerson),
      connectionsPerPersonPerDocument: intFromEnv(env, 'RELAY_CONNECTIONS_PER_PERSON_PER_DOC', RESOURCES.connectionsPerPersonPerDocument),
      connectionsPerPerson: intFromEnv(env, 'RELAY_CONNECTIONS_PER_PERSON', RESOURCES.connectionsPerPerson),
      connectionsPerAddress: intFromEnv(env, 'RELAY_CONNECTIONS_PER_ADDRESS', RESOURCES.connectionsPerAddress),
    },
    robot: {
      llmUrl: env.ROBOT_LLM_URL || undefined,
      llmKey: env.ROBOT_LLM_KEY || undefined,
      llmModel: env.ROBOT_LLM_MODEL || 'gpt-4o-mini',
      llmTimeoutMs: intFromEnv(env, 'ROBOT_LLM_TIMEOUT_MS', 15_000),
      repliesPerMinute: intFromEnv(env, 'ROBOT_REPLIES_PER_MINUTE', 20),
    },
    push: pushConfigFromEnv(env, intFromEnv),
    redis: redisConfigFromEnv(env, intFromEnv),
    postgres: postgresConfigFromEnv(env, intFromEnv),
    metrics: metricsConfigFromEnv(env, intFromEnv),
    log: logFormatFromEnv(env) === 'json' ? jsonLogger() : consoleLogger,
    ...overrides,
  };
  return config;
}
