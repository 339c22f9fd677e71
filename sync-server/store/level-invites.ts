/** Group invite links in LevelDB (invites.ts): by the hash of their code, and `conversationId!inviteId` to list a group's. */
import type { Database, InviteRecord } from './database.js';
import type { InviteStore } from './invites.js';
import { KeyedLock } from './keyed-lock.js';
import { compositeKey } from './keys.js';
import { indexedRecordsOf } from './owner-reads.js';

export class LevelInviteStore implements InviteStore {
  /** One process owns the directory: a lock per invite makes check-and-count atomic. */
  private readonly lock = new KeyedLock();

  constructor(private readonly db: Database) {}

  async byId(id: string): Promise<InviteRecord | undefined> {
    return this.db.invites.get(id);
  }

  async create(invite: InviteRecord): Promise<void> {
    await this.db.root
      .batch()
      .put(invite.id, invite, { sublevel: this.db.invites })
      .put(compositeKey(invite.conversationId, invite.id), true, { sublevel: this.db.invitesOf })
      .write();
  }

  async ofConversation(conversationId: string): Promise<InviteRecord[]> {
    return indexedRecordsOf<InviteRecord>(this.db.invitesOf, this.db.invites, conversationId);
  }

  async claimUse(id: string, now: number): Promise<InviteRecord | undefined> {
    return this.change(id, (invite) => {
      const left = !invite.revoked && now < invite.expiresAt && (invite.maxUses === 0 || invite.uses < invite.maxUses);
      return left ? { ...invite, uses: invite.uses + 1 } : undefined;
    });
  }

  async releaseUse(id: string): Promise<void> {
    await this.change(id, (invite) => (invite.uses > 0 ? { ...invite, uses: invite.uses - 1 } : undefined));
  }

  async revoke(id: string): Promise<void> {
    await this.change(id, (invite) => ({ ...invite, revoked: true }));
  }

  async revokeAllOf(conversationId: string): Promise<void> {
    for (const invite of await this.ofConversation(conversationId)) {
      if (!invite.revoked) await this.revoke(invite.id);
    }
  }

  /** Re-reads the invite under its lock and stores what `next` makes of it (nothing when undefined). */
  private async change(id: string, next: (invite: InviteRecord) => InviteRecord | undefined): Promise<InviteRecord | undefined> {
    return this.lock.run(id, async () => {
      const current = await this.db.invites.get(id);
      const changed = current && next(current);
      if (changed) await this.db.invites.put(id, changed);
      return changed;
    });
  }
}
