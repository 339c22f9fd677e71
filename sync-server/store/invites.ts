/** Group invite links: stored by the hash of their code, listed per group. */
import type { Database, InviteRecord } from './database.js';
import { compositeKey } from './keys.js';
import { indexedRecordsOf } from './owner-reads.js';

export class InviteStore {
  constructor(private readonly db: Database) {}

  async byId(id: string): Promise<InviteRecord | undefined> {
    return this.db.invites.get(id);
  }

  async put(invite: InviteRecord): Promise<void> {
    await this.db.root
      .batch()
      .put(invite.id, invite, { sublevel: this.db.invites })
      .put(compositeKey(invite.conversationId, invite.id), true, { sublevel: this.db.invitesOf })
      .write();
  }

  async ofConversation(conversationId: string): Promise<InviteRecord[]> {
    return indexedRecordsOf<InviteRecord>(this.db.invitesOf, this.db.invites, conversationId);
  }

  /** Revokes every invite of a conversation (it was disbanded). */
  async revokeAllOf(conversationId: string): Promise<void> {
    for (const invite of await this.ofConversation(conversationId)) {
      if (!invite.revoked) await this.put({ ...invite, revoked: true });
    }
  }
}
