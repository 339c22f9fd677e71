/**
 * Wires the parts of Happy Chat's server together and starts listening.
 * Tests call `startServer` with a temp DATA_DIR and port 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isValidId, userDocName } from '../shared/doc-names.js';
import { AccountService } from './accounts/account-service.js';
import { AccountDeletion } from './accounts/account-deletion.js';
import { AccountSettings } from './accounts/account-settings.js';
import { OneTimeTokens } from './auth/one-time-tokens.js';
import { SessionStore } from './auth/session.js';
import type { ServerConfig } from './config.js';
import type { ServerContext } from './context.js';
import { PictureService } from './blobs/picture-service.js';
import { FileService } from './blobs/file-service.js';
import { ConversationDocuments } from './conversations/conversation-documents.js';
import { ConversationService } from './conversations/conversation-service.js';
import { GroupService } from './conversations/group-service.js';
import { InviteService } from './conversations/invite-service.js';
import { ProfileService } from './profiles/profile-service.js';
import { FriendService } from './social/friend-service.js';
import { SocialDocuments } from './social/user-documents.js';
import { BuiltinResponder } from './robot/builtin-responder.js';
import { LlmResponder } from './robot/llm-responder.js';
import { ReminderScheduler } from './robot/reminders.js';
import { ensureRobotUser, RobotConversations } from './robot/robot-account.js';
import { RobotParticipant } from './robot/robot-participant.js';
import { ConversationHeads } from './participants/conversation-heads.js';
import { HeadHub } from './participants/head-hub.js';
import { HeadTable } from './participants/head-table.js';
import { HeadWriter } from './participants/head-writer.js';
import { FirstVisitorMessage } from './widget/first-visitor-message.js';
import { SiteService } from './widget/site-service.js';
import { VisitorService } from './widget/visitor-service.js';
import { createApp } from './http/app.js';
import { ClusterEdges } from './cluster/cluster-edges.js';
import type { DocumentCommands } from './commands/document-command.js';
import { LocalCommands } from './commands/local-commands.js';
import { openSharedState } from './cluster/shared-state.js';
import { MessageIndexStore } from './search/message-index-store.js';
import { PostgresMessageIndex } from './search/postgres-message-index.js';
import { levelConversationDocuments, SearchCatchUp } from './search/search-catch-up.js';
import { ServerSearch } from './search/server-search.js';
import { LastSeenParticipant } from './presence/last-seen-participant.js';
import { PresenceService } from './presence/presence-service.js';
import { ListTypingParticipant } from './presence/list-typing.js';
import { readCookie, SESSION_COOKIE } from './http/cookies.js';
import { createOriginCheck } from './http/origin.js';
import { createMailer } from './mail/mailer.js';
import { startPushService } from './push/push-service.js';
import { DocRegistry } from './relay/doc-registry.js';
import { FrameRateLimits } from './relay/frame-rate-limits.js';
import { Relay } from './relay/relay.js';
import { createUpdateValidator, DEFAULT_VALIDATOR_LIMITS } from './relay/trust/update-validator.js';
import { PersonWriteQuotas } from './relay/write-quota.js';
import { Database } from './store/database.js';
import { checkStore, logStoreReport, type StoreReport } from './store/store-check.js';
import type { DocumentLog } from './store/document-log.js';
import { LevelDocumentLog } from './store/level-document-log.js';
import { fillSharedHeadsAtStart, forgetSharedHeadsFill } from './participants/fill-shared-heads.js';
import { LevelHeadRecords } from './store/level-head-records.js';
import { PostgresHeadRecords, RECENT_HEADS_MS } from './store/postgres/postgres-head-records.js';
import { ClusterHeads } from './cluster/cluster-heads.js';
import { openPostgresStorage, type PostgresStorage } from './store/postgres/postgres-storage.js';
import { serverStores } from './store/server-stores.js';
import { startMetricsListener } from './operations/metrics-listener.js';
import { ServerMetrics } from './operations/server-metrics.js';
import { TimedDocumentLog } from './operations/timed-document-log.js';

export interface RunningServer {
  url: string;
  port: number;
  context: ServerContext;
  /** The store check started with the server (store/store-check.ts); null if it is off or could not run. */
  storeCheck: Promise<StoreReport | null>;
  /** PostgreSQL (pool, lease, document log) when `DATABASE_URL` is set; null for the embedded app. */
  postgres: PostgresStorage | null;
  /** With `DATABASE_URL` and `REDIS_URL`: sockets to documents another relay owns, and this relay's inbox as an owner (docs/SCALING.md, "Edges"). */
  edges: ClusterEdges | null;
  /** The search index's catch-up with stored conversations (search/search-catch-up.ts); null with PostgreSQL. */
  searchCatchUp: SearchCatchUp | null;
  /** `http://127.0.0.1:<port>/metrics` when `METRICS_PORT` is set (docs/OPERATIONS.md, "Metrics"); null otherwise. */
  metricsUrl: string | null;
  close(): Promise<void>;
}

/** Switches for measurements only (bench/); the product never sets them. */
export interface StartServerOptions {
  /** Replaces the durable document store, e.g. by one that discards writes (the bench's "writes off" run). */
  createDocumentLog?: (db: Database) => DocumentLog;
  /**
   * Bench only, to price the update validator: false applies client updates
   * unchecked (as every public Yjs server does). The product always validates.
   */
  validateUpdates?: boolean;
}

export async function startServer(config: ServerConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const db = await Database.open(config.dataDir, { log: config.log, minFreeBytes: config.storeMinFreeBytes });
  // One registry per server (tests start several in one process); process metrics only where someone scrapes.
  const metrics = new ServerMetrics({ processMetrics: config.metrics.port !== null });
  // With DATABASE_URL the documents live in PostgreSQL, owned by one relay at a time (docs/SCALING.md); the rest stays in LevelDB.
  const postgres = config.postgres ? await openPostgresStorage(config.postgres, config.log).catch(closeAndRethrow(db)) : null;
  // With DATABASE_URL, accounts, sessions, memberships, friends, invites, reminders, sites, push devices and pictures are in PostgreSQL too, shared by every relay (store/server-stores.ts).
  const stores = serverStores(db, config.dataDir, postgres?.pool);
  const { users, conversations: conversationStore, friends: friendStore, invites: inviteStore, sites: siteStore } = stores;
  const sessionRecords = stores.sessions;
  const sessions = new SessionStore(sessionRecords, users, { health: stores.health });
  const registry = new DocRegistry({
    store: new TimedDocumentLog(options.createDocumentLog?.(db) ?? postgres?.documents ?? new LevelDocumentLog(db), metrics),
    metrics,
    unloadGraceMs: config.docUnloadGraceMs,
    roomDormantAfterMs: config.roomDormantAfterMs,
    userDocumentsStandBy: config.userDocumentsStandBy,
    compactThreshold: config.docCompactThreshold,
    historySegments: config.historySegments,
    log: config.log,
    createValidator:
      options.validateUpdates === false
        ? undefined
        : (doc, clientOwners) =>
            createUpdateValidator(doc, clientOwners, {
              ...DEFAULT_VALIDATOR_LIMITS,
              maxClientIdsPerPerson: config.clientIdLimits.perPersonPerDocument,
              maxClientIdsPerDocument: config.clientIdLimits.perDocument,
            }),
    writeQuotas: new PersonWriteQuotas(config.writeQuota),
    presenceLimits: config.presenceLimits,
  });
  // Shared heads: the table (in a cluster PostgreSQL's, each head riding the document log's next group commit) and the
  // sockets listening for them, shared by the head writer and the relay's /mux.
  const headRecords = postgres
    ? new PostgresHeadRecords(postgres.pool, RECENT_HEADS_MS, (id, json) => postgres.documents.rideHead(id, json))
    : new LevelHeadRecords(db);
  const sharedHeads = config.headsShared ? { table: new HeadTable(headRecords), hub: new HeadHub() } : null;
  // An embedded store the per-member heads wrote gets its head table filled once, before anything is served (a cluster's
  // was copied with copy-to-postgres); with shared heads off the table falls behind, so the next start fills it again.
  if (!postgres) {
    const documents = options.createDocumentLog?.(db) ?? new LevelDocumentLog(db);
    const store = { db, documents, compactThreshold: config.docCompactThreshold, log: config.log };
    // A failure is logged and the server serves anyway (lists may lack conversations not loaded since); the next start tries again.
    await (sharedHeads ? fillSharedHeadsAtStart(store, sharedHeads.table) : forgetSharedHeadsFill(db)).catch((error: unknown) =>
      config.log.error('shared heads: the head table could not be filled from the per-member heads', { error: String(error) }),
    );
  }
  const originAllowed = createOriginCheck(config.publicUrl);
  // Rate limits, widget tickets and revocations: in this process, or shared with the other relays through Redis.
  const shared = await openSharedState(config.redis, config.log);
  const tickets = shared.tickets;
  const relay = new Relay(
    registry,
    {
      originAllowed,
      async authenticate(request) {
        // The widget's iframe cannot send our cookie as a third party: it brings a single-use ticket.
        const ticket = new URL(request.url ?? '/', 'http://relay').searchParams.get('ticket');
        if (ticket) return tickets.consume(ticket);
        const token = readCookie(request, SESSION_COOKIE);
        const valid = token ? await sessions.validate(token) : null;
        return valid ? { userId: valid.user.id, sessionId: valid.session.id } : null;
      },
      async authorize(identity, doc) {
        if (doc.kind === 'user') return doc.id === identity.userId;
        return isValidId(doc.id) && conversationStore.isMember(doc.id, identity.userId);
      },
    },
    config.log,
    new FrameRateLimits(config.relayRateLimits),
    config.relayResources,
    metrics,
    sharedHeads ? { ...sharedHeads, conversationIdsOf: (userId) => conversationStore.conversationIdsOf(userId) } : undefined,
  );
  const revoker = await shared.revoker(relay, postgres?.pool);
  // In a cluster a head goes to every relay's sockets of its members, over the bus (cluster/cluster-heads.ts).
  const clusterHeads = sharedHeads && shared.bus ? await ClusterHeads.start(shared.bus, sharedHeads.hub, config.log) : null;
  // Server-side changes are named commands (commands/): run here, or in a cluster on the document's owner.
  const localCommands = new LocalCommands(registry);
  const leaseMs = config.postgres?.leaseMs ?? 5000;
  // A cluster: any relay serves any document, forwarding to its owner (docs/SCALING.md, "Edges").
  const edges =
    postgres && shared.bus
      ? await ClusterEdges.start({
          bus: shared.bus,
          pool: postgres.pool,
          lease: postgres.lease,
          registry,
          log: config.log,
          checkEveryMs: Math.max(100, Math.floor(leaseMs / 2)),
          metrics,
          // One attempt waits about a lease: by then a dead owner's document can be claimed (docs/SCALING.md, "Commands").
          commands: { local: localCommands, attemptTimeoutMs: leaseMs, deadlineMs: 3 * leaseMs + 1000, maxAttempts: 8 },
        })
      : null;
  const commands: DocumentCommands = edges?.commands ?? localCommands;
  registry.useCommands(commands);
  metrics.watch({ relay, registry, edges, postgres, bus: shared.bus });
  const limit = (name: keyof ServerConfig['rateLimits']) => shared.rateLimiter(name, config.rateLimits[name]);
  const limits = {
    loginPerAccount: limit('loginPerAccount'),
    loginPerAddress: limit('loginPerAddress'),
    register: limit('register'),
    mailPerAddress: limit('mailPerAddress'),
    friendRequests: limit('friendRequests'),
    uploads: limit('uploads'),
    visitorsPerAddress: limit('visitorsPerAddress'),
    visitorsPerSite: limit('visitorsPerSite'),
    groupAdds: limit('groupAdds'),
  };
  const conversationDocuments = new ConversationDocuments(commands, conversationStore, users);
  const conversations = new ConversationService(conversationStore, users, friendStore, conversationDocuments, revoker);
  const friends = new FriendService(friendStore, users, conversations, new SocialDocuments(commands), limits.friendRequests);
  const groups = new GroupService(
    conversationStore,
    users,
    friendStore,
    conversationDocuments,
    revoker,
    inviteStore,
    {
      members: config.groupMemberLimit,
      groupsPerUser: config.groupsPerUserLimit,
    },
    limits.groupAdds,
  );
  await ensureRobotUser(users);
  const builtinResponder = new BuiltinResponder();
  const responder = config.robot.llmUrl
    ? new LlmResponder(
        { url: config.robot.llmUrl, key: config.robot.llmKey, model: config.robot.llmModel, timeoutMs: config.robot.llmTimeoutMs },
        builtinResponder,
        config.log,
      )
    : builtinResponder;
  const reminders = new ReminderScheduler(stores.reminders, commands, config.log);
  const robot = {
    conversations: new RobotConversations(conversationStore, conversationDocuments, commands),
    participant: new RobotParticipant(registry, commands, conversationStore, responder, reminders, config.log, {
      replies: shared.rateLimiter('robotReplies', { limit: config.robot.repliesPerMinute, windowMs: 60_000 }),
    }),
    reminders,
  };
  const tokens = new OneTimeTokens(stores.tokens);
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outboxDir: path.join(config.dataDir, 'outbox'),
    log: config.log,
  });
  const push = await startPushService(
    db,
    config,
    { users, sessions: sessionRecords, devices: stores.pushSubscriptions, mailer },
    { preferences: stores.pushPreferences, badges: stores.badgeCounts, digests: stores.digestRecords },
    shared.bus,
  );
  // Every document meets these as it loads, in this order, after a conversation's own sequencer (participants/participant.ts).
  const firstVisitorMessage = new FirstVisitorMessage(conversationStore, conversationDocuments, config.log);
  const heads = new HeadWriter(
    commands,
    config.headsCoalesceMs,
    config.log,
    Date.now,
    sharedHeads && { table: sharedHeads.table, hub: clusterHeads ?? sharedHeads.hub },
  );
  // With PostgreSQL, every relay searches one index (its search_runs table); embedded, LevelDB's.
  const searchIndex = postgres ? new PostgresMessageIndex(postgres.pool) : new MessageIndexStore(db);
  if (searchIndex instanceof MessageIndexStore) {
    // The first layout's keys are dead weight once documents are indexed again in the second (they are, as they load).
    searchIndex
      .dropLegacyTerms()
      .catch((error: unknown) => config.log.error('the old search terms could not be dropped', { error: String(error) }));
    // Postings of one key per message and term become runs before the index takes a write (its writes read the runs).
    const migrated = await searchIndex.migratePostingsToRuns();
    if (migrated > 0) config.log.info('search: postings turned into runs', { messages: migrated });
  }
  const search = new ServerSearch(searchIndex, conversationStore, config.log);
  // Conversations stored in an older layout, or past their last index write, are indexed in the background (LevelDB only:
  // a cluster relay indexes whole a document whose clock is behind when it loads it).
  const searchCatchUp =
    searchIndex instanceof MessageIndexStore
      ? new SearchCatchUp(
          { registry, index: searchIndex, indexer: search.indexer, documents: levelConversationDocuments(db), log: config.log },
          config.searchCatchUp,
        )
      : null;
  postgres?.attach(registry);
  const lastSeen = new LastSeenParticipant(stores.lastSeen, config.log);
  const listTyping = new ListTypingParticipant((userId, shown) => registry.standbyOf(userDocName(userId))?.keepLoaded(shown));
  // An edit in an older history segment that adds a mention is marked through the newest segment, loaded for it if need be.
  const conversationHeads = new ConversationHeads(heads, Date.now, {
    rooms: {
      acquireNewest: async (conversationId) => registry.acquire(await registry.segments.newestDocName(conversationId)),
      release: (room) => registry.release(room),
    },
    log: config.log,
  });
  registry.useParticipants([
    robot.participant,
    firstVisitorMessage,
    push.notifier,
    conversationHeads,
    search.indexer,
    lastSeen,
    listTyping,
  ]);
  reminders.start();
  async function onSessionEnded(userId: string, sessionId: string): Promise<void> {
    // This device must not show the next person's (or anyone's) messages after sign-out.
    await push.subscriptions.removeSession(userId, sessionId);
    revoker.revoke({ kind: 'session-ended', sessionId });
  }
  const accounts = new AccountService({
    users,
    sessions,
    tokens,
    mailer,
    commands,
    robot: robot.conversations,
    onSessionEnded,
    limits,
    publicUrl: () => config.publicUrl,
    log: config.log,
  });
  const accountSettings = new AccountSettings({
    users,
    sessions,
    onSessionEnded,
    tokens,
    mailer,
    commands,
    limits,
    publicUrl: () => config.publicUrl,
    log: config.log,
  });
  const sites = new SiteService(siteStore, friendStore, conversationStore, conversationDocuments, revoker);
  const accountDeletion = new AccountDeletion({
    users,
    settings: accountSettings,
    groups,
    friends,
    sites,
    siteStore,
    conversationStore,
    devices: push.subscriptions,
    commands,
    revoker,
    log: config.log,
  });
  const profiles = new ProfileService(users, conversationStore, friendStore, friends, conversationDocuments, commands);
  const { blobs } = stores;
  const context: ServerContext = {
    config,
    db,
    users,
    sessions,
    tokens,
    accounts,
    accountSettings,
    accountDeletion,
    conversations,
    conversationStore,
    groups,
    invites: new InviteService(inviteStore, conversationStore, groups, () => config.publicUrl),
    friends,
    profiles,
    blobs,
    pictures: new PictureService(blobs, profiles, groups, conversations, limits.uploads),
    files: new FileService(blobs, conversations, limits.uploads),
    robot,
    widget: {
      sites,
      visitors: new VisitorService(siteStore, users, conversationStore, conversationDocuments, revoker, {
        perAddress: limits.visitorsPerAddress,
        perSite: limits.visitorsPerSite,
      }),
      tickets,
    },
    mailer,
    relay,
    revoker,
    registry,
    commands,
    heads,
    push,
    search,
    metrics,
    presence: { service: new PresenceService(stores.lastSeen, friendStore), lastSeen, listTyping },
  };

  const server = http.createServer(createApp(context));
  server.on('upgrade', (request, socket, head) => {
    if (relay.handles(request)) relay.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const { port: metricsPort, ...metricsAccess } = config.metrics;
  const metricsListener =
    metricsPort === null
      ? null
      : await startMetricsListener({ ...metricsAccess, port: metricsPort }, () => metrics.exposition(), config.log);
  // In the background: damage is reported loudly, but a server with a damaged store still serves the rest.
  const storeCheck = (config.storeCheckAtStart ? checkStore(db) : Promise.resolve(null)).then(
    (report) => {
      if (report) logStoreReport(report, config.log);
      return report;
    },
    (error: unknown) => {
      config.log.error('the store check could not run', { error: String(error) });
      return null;
    },
  );
  searchCatchUp?.start();
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    context,
    storeCheck,
    postgres,
    edges,
    metricsUrl: metricsListener?.url ?? null,
    searchCatchUp,
    close() {
      closing ??= (async () => {
        // Before the documents unload: the catch-up releases those in hand and loads no more.
        await searchCatchUp?.stop();
        await metricsListener?.close();
        relay.close();
        server.closeAllConnections();
        await reminders.stop();
        await robot.participant.idle();
        await firstVisitorMessage.idle();
        push.notifier.close();
        push.digest.stop();
        await push.preferences.close();
        await push.notifier.idle();
        await conversationHeads.idle();
        await heads.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await edges?.close();
        await registry.closeAll();
        // Unloading marked everyone here offline: written before the store closes.
        lastSeen.stop();
        await lastSeen.settled();
        // Unloading stores last batches, whose index writes follow: the store must still be open for them.
        await search.idle();
        await clusterHeads?.close();
        await shared.close();
        context.mailer.close();
        await db.close();
        await postgres?.close();
        metrics.close();
      })();
      return closing;
    },
  };
}

/** Closes the LevelDB store when what comes after its opening fails, so a retry in this process can open it again. */
function closeAndRethrow(db: Database): (error: unknown) => Promise<never> {
  return async (error) => {
    await db.close();
    throw error;
  };
}
