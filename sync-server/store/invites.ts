/**
 * Group invite links, by the hash of their code (the code itself is only in
 * the link): the calls the services make of the store. A use is counted
 * atomically with the check that one is left, so parallel joins (on any
 * relays) never overrun `maxUses`. `LevelInviteStore` (level-invites.ts) is
 * the embedded one, `PostgresInviteStore` (postgres/postgres-invites.ts) the
 * cluster's; both pass invites.contract.ts.
 */
import type { InviteRecord } from './database.js';

export interface InviteStore {
  byId(id: string): Promise<InviteRecord | undefined>;
  /** Stores a new invite. */
  create(invite: InviteRecord): Promise<void>;
  /** Invites of a conversation, revoked and expired ones included. */
  ofConversation(conversationId: string): Promise<InviteRecord[]>;
  /** Counts one use if the invite has one left: not revoked, not expired at `now`, under `maxUses` (0 = unlimited). Returns the invite as counted, or undefined. */
  claimUse(id: string, now: number): Promise<InviteRecord | undefined>;
  /** Gives back a use `claimUse` counted, when what it was for failed. */
  releaseUse(id: string): Promise<void>;
  revoke(id: string): Promise<void>;
  /** Revokes every invite of a conversation (it was disbanded). */
  revokeAllOf(conversationId: string): Promise<void>;
}
