/**
 * The parts of a running server, wired once in server.ts. `http/app.ts`
 * hands each router the services it uses; tests and the admin reach the rest.
 */
import type { ServerConfig } from './config.js';
import type { Database } from './store/database.js';
import type { UserStore } from './store/users.js';
import type { SessionStore } from './auth/session.js';
import type { OneTimeTokens } from './auth/one-time-tokens.js';
import type { Mailer } from './mail/mailer.js';
import type { Relay } from './relay/relay.js';
import type { SocketRevoker } from './relay/revocation.js';
import type { DocRegistry } from './relay/doc-registry.js';
import type { DocumentCommands } from './commands/document-command.js';
import type { HeadWriter } from './participants/head-writer.js';
import type { ConversationService } from './conversations/conversation-service.js';
import type { ConversationStore } from './store/conversations.js';
import type { GroupService } from './conversations/group-service.js';
import type { InviteService } from './conversations/invite-service.js';
import type { FriendService } from './social/friend-service.js';
import type { ProfileService } from './profiles/profile-service.js';
import type { BlobStore } from './blobs/blob-store.js';
import type { SiteService } from './widget/site-service.js';
import type { VisitorService } from './widget/visitor-service.js';
import type { SyncTickets } from './widget/sync-tickets.js';
import type { RobotConversations } from './robot/robot-account.js';
import type { RobotParticipant } from './robot/robot-participant.js';
import type { ReminderScheduler } from './robot/reminders.js';
import type { PushService } from './push/push-service.js';
import type { AccountService } from './accounts/account-service.js';
import type { AccountDeletion } from './accounts/account-deletion.js';
import type { AccountSettings } from './accounts/account-settings.js';
import type { PictureService } from './blobs/picture-service.js';
import type { FileService } from './blobs/file-service.js';
import type { ServerSearch } from './search/server-search.js';
import type { ServerMetrics } from './operations/server-metrics.js';
import type { LastSeenParticipant } from './presence/last-seen-participant.js';
import type { PresenceService } from './presence/presence-service.js';
import type { ListTypingParticipant } from './presence/list-typing.js';

export interface ServerContext {
  config: ServerConfig;
  db: Database;
  users: UserStore;
  sessions: SessionStore;
  tokens: OneTimeTokens;
  /** Registration, activation, sign-in and sign-out, password reset. */
  accounts: AccountService;
  accountSettings: AccountSettings;
  accountDeletion: AccountDeletion;
  conversations: ConversationService;
  conversationStore: ConversationStore;
  groups: GroupService;
  invites: InviteService;
  friends: FriendService;
  profiles: ProfileService;
  blobs: BlobStore;
  pictures: PictureService;
  files: FileService;
  widget: { sites: SiteService; visitors: VisitorService; tickets: SyncTickets };
  robot: { conversations: RobotConversations; participant: RobotParticipant; reminders: ReminderScheduler };
  mailer: Mailer;
  /** Web Push: devices, settings, the notifier (docs/PUSH.md). */
  push: PushService;
  relay: Relay;
  /** Cuts sockets off by a named revocation: this relay's, and in a cluster every relay's (cluster/shared-state.ts). */
  revoker: SocketRevoker;
  registry: DocRegistry;
  /** Server-side changes as named commands, run on each document's owner (commands/document-command.ts). */
  commands: DocumentCommands;
  /** Writes conversation heads into members' user documents, coalesced (participants/head-writer.ts). */
  heads: HeadWriter;
  /** The server's message search: its index, kept by a participant, and the members-only query (docs/API.md, "Search"). */
  search: ServerSearch;
  /** What `/metrics` reports, counted by this server's parts (operations/server-metrics.ts, docs/OPERATIONS.md). */
  metrics: ServerMetrics;
  /** Online and last seen (issue 15): the marks from `user/<id>` connections, and who may see them; typing for the list. */
  presence: { service: PresenceService; lastSeen: LastSeenParticipant; listTyping: ListTypingParticipant };
}
