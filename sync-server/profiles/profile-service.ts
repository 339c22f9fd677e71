/**
 * Profiles: editing one's own, seeing other people's, finding people.
 * A change reaches everyone who shows this person: the person's own
 * `user/<id>` document, `meta.members` of each of their conversations, and
 * their friends' friend lists.
 */
import { SEARCH_PAGE_SIZE } from '../../shared/limits.js';
import type { PersonSummary } from '../../shared/schema.js';
import type { PublicProfile } from '../../shared/social-api.js';
import type { ConversationDocuments } from '../conversations/conversation-documents.js';
import type { DocumentCommands } from '../commands/document-command.js';
import type { FriendService } from '../social/friend-service.js';
import { personSummary } from '../social/user-documents.js';
import type { ConversationStore } from '../store/conversations.js';
import type { UserRecord } from '../store/database.js';
import type { FriendStore } from '../store/friends.js';
import type { UserStore } from '../store/users.js';
import { syncProfile } from './user-document.js';

export interface ProfileChange {
  name?: string;
  bio?: string;
  location?: string;
  avatar?: string;
}

export class ProfileService {
  constructor(
    private readonly users: UserStore,
    private readonly conversations: ConversationStore,
    private readonly friends: FriendStore,
    private readonly friendService: FriendService,
    private readonly documents: ConversationDocuments,
    private readonly commands: DocumentCommands,
  ) {}

  async update(me: UserRecord, change: ProfileChange): Promise<UserRecord> {
    const updated: UserRecord = { ...me };
    if (change.name !== undefined) updated.name = change.name;
    if (change.bio !== undefined) updated.bio = change.bio || undefined;
    if (change.location !== undefined) updated.location = change.location || undefined;
    if (change.avatar !== undefined) updated.avatar = change.avatar || undefined;
    await this.users.update(updated);
    await syncProfile(this.commands, updated);
    for (const conversationId of await this.conversations.conversationIdsOf(me.id)) {
      await this.documents.refresh(conversationId);
    }
    await this.friendService.refreshFriendEntries(updated);
    return updated;
  }

  /** Someone's profile, for people who have reason to see it: themselves, friends, and people sharing a conversation. */
  async profileFor(viewer: UserRecord, userId: string): Promise<PublicProfile | undefined> {
    const user = await this.users.byId(userId);
    if (!user?.activated) return undefined;
    if (
      user.id !== viewer.id &&
      !(await this.friends.areFriends(viewer.id, user.id)) &&
      !(await this.shareConversation(viewer.id, user.id))
    ) {
      return undefined;
    }
    return publicProfile(user);
  }

  /**
   * Finds people by exact email or by name prefix: activated accounts only,
   * one bounded page, never anyone's email, and nobody who blocked the searcher.
   */
  async search(viewer: UserRecord, query: string): Promise<PersonSummary[]> {
    const trimmed = query.trim();
    if (trimmed.length === 0) return [];
    const blockedMe = async (user: UserRecord) => this.friends.hasBlocked(user.id, viewer.id);
    if (trimmed.includes('@')) {
      const user = await this.users.byEmail(trimmed.toLowerCase());
      return user?.activated && !user.guestOf && user.id !== viewer.id && !(await blockedMe(user)) ? [personSummary(user)] : [];
    }
    const candidates = await this.users.searchByName(
      trimmed,
      SEARCH_PAGE_SIZE,
      (user) => user.id === viewer.id || user.guestOf !== undefined,
    );
    const visible: PersonSummary[] = [];
    for (const user of candidates) if (!(await blockedMe(user))) visible.push(personSummary(user));
    return visible;
  }

  private async shareConversation(a: string, b: string): Promise<boolean> {
    for (const id of await this.conversations.conversationIdsOf(a)) {
      if (await this.conversations.isMember(id, b)) return true;
    }
    return false;
  }
}

export function publicProfile(user: UserRecord): PublicProfile {
  const profile: PublicProfile = { id: user.id, name: user.name };
  if (user.bio) profile.bio = user.bio;
  if (user.location) profile.location = user.location;
  if (user.avatar) profile.avatar = user.avatar;
  return profile;
}
