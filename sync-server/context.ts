/** The parts of a running server, wired once in server.ts and handed to routes. */
import type { ServerConfig } from './config.js';
import type { Database } from './store/database.js';
import type { UserStore } from './store/users.js';
import type { SessionStore } from './auth/session.js';
import type { OneTimeTokens } from './auth/one-time-tokens.js';
import type { RateLimiter } from './auth/rate-limit.js';
import type { Mailer } from './mail/mailer.js';
import type { Relay } from './relay/relay.js';
import type { DocRegistry } from './relay/doc-registry.js';
import type { ConversationService } from './conversations/conversation-service.js';

export interface ServerContext {
  config: ServerConfig;
  db: Database;
  users: UserStore;
  sessions: SessionStore;
  tokens: OneTimeTokens;
  conversations: ConversationService;
  mailer: Mailer;
  relay: Relay;
  registry: DocRegistry;
  limits: {
    loginPerAccount: RateLimiter;
    loginPerAddress: RateLimiter;
    register: RateLimiter;
    mailPerAddress: RateLimiter;
  };
}
