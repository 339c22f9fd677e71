/**
 * Deleting an account (issue 15, account settings). What happens, in this
 * order, is what docs/ACCOUNTS.md promises:
 *
 * 1. The current password is asked for again (failures count like failed sign-ins).
 * 2. Every session ends: the person's sockets close 4401 on every relay, push devices go.
 * 3. Groups: they leave each; a group they own passes on (group-service.ts
 *    `leaveAllForDeletion`) or, with nobody else in it, is disbanded.
 * 4. Friends: friendships and requests end; each direct conversation stays
 *    with the friend, ended and read-only. Their own blocks are lifted.
 * 5. Websites they own are removed (the widget stops; visitors are cut off);
 *    any conversation still theirs (the robot's, a site's visitors') is left.
 * 6. In every conversation they were ever in, their name and picture are
 *    erased from the member data everyone reads: their messages stay, shown
 *    under "Deleted account".
 * 7. The account record becomes a tombstone: the id is kept (never reused),
 *    the name, picture, bio, place and password are erased, and the email
 *    address is freed for a new registration.
 */
import type { Logger } from '../config.js';
import type { GroupService } from '../conversations/group-service.js';
import type { DocumentCommands } from '../commands/document-command.js';
import { ok, type Outcome } from '../outcome.js';
import type { SubscriptionStore } from '../push/subscription-store.js';
import type { FriendService } from '../social/friend-service.js';
import type { ConversationStore } from '../store/conversations.js';
import type { UserRecord } from '../store/database.js';
import type { SiteStore } from '../store/sites.js';
import type { UserStore } from '../store/users.js';
import type { SocketRevoker } from '../relay/revocation.js';
import type { AccountSettings, AccountSettingsError } from './account-settings.js';
import type { SiteService } from '../widget/site-service.js';

export interface AccountDeletionParts {
  users: UserStore;
  settings: AccountSettings;
  groups: GroupService;
  friends: FriendService;
  sites: SiteService;
  siteStore: SiteStore;
  conversationStore: ConversationStore;
  devices: SubscriptionStore;
  commands: DocumentCommands;
  revoker: SocketRevoker;
  log: Logger;
}

/** The address a deleted account keeps: unique, and in the `.invalid` domain, which no mail can reach. */
export function deletedAccountEmail(userId: string): string {
  return `${userId}@deleted.invalid`;
}

export class AccountDeletion {
  constructor(private readonly parts: AccountDeletionParts) {}

  async delete(user: UserRecord, currentPassword: string): Promise<Outcome<null, AccountSettingsError>> {
    const { users, settings, groups, friends, sites, siteStore, conversationStore, devices, revoker, log } = this.parts;
    const wrong = await settings.checkCurrentPassword(user, currentPassword);
    if (wrong) return wrong;
    const everIn = new Set(await conversationStore.conversationIdsOf(user.id));
    await settings.endOthers(user.id, '');
    for (const device of await devices.ofUser(user.id)) await devices.remove(user.id, device.id);
    await groups.leaveAllForDeletion(user);
    await friends.forgetAccount(user);
    for (const site of await siteStore.ofOwner(user.id)) await sites.remove(user, site.key);
    for (const conversationId of await conversationStore.conversationIdsOf(user.id)) {
      everIn.add(conversationId);
      await conversationStore.removeMembers(conversationId, [user.id]);
      revoker.revoke({ kind: 'member-removed', conversationId, userId: user.id });
    }
    for (const conversationId of everIn) await this.eraseNameIn(conversationId, user.id);
    await users.changeEmail(user.id, deletedAccountEmail(user.id));
    const current = (await users.byId(user.id)) ?? user;
    await users.update(tombstoneOf(current));
    log.info('account deleted', { userId: user.id, conversations: everIn.size });
    return ok(null);
  }

  /** Their entry in the conversation's former members: no name, no picture, marked deleted. */
  private async eraseNameIn(conversationId: string, userId: string): Promise<void> {
    await this.parts.commands.run({
      kind: 'former-members',
      conversationId,
      found: { [userId]: { name: '', role: 'member', deleted: true } },
    });
  }
}

/** What is kept of a deleted account: its id (never reused) and when it was made and deleted. */
function tombstoneOf(user: UserRecord): UserRecord {
  return {
    id: user.id,
    name: '',
    email: deletedAccountEmail(user.id),
    passwordHash: '',
    activated: false,
    createdAt: user.createdAt,
    deletedAt: Date.now(),
  };
}
