/**
 * The social parts of a person's `user/<id>` document, written by the
 * server: friends (with the owner's private remark) and pending requests.
 * This is how changes reach people live, and what they read offline.
 */
import { userDocName } from '../../shared/doc-names.js';
import { friendsOf, requestsOf, type FriendEntry, type FriendRequestEntry, type PersonSummary } from '../../shared/schema.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { UserRecord } from '../store/database.js';

export function personSummary(user: UserRecord): PersonSummary {
  const summary: PersonSummary = { id: user.id, name: user.name };
  if (user.avatar) summary.avatar = user.avatar;
  return summary;
}

export class SocialDocuments {
  constructor(private readonly registry: DocRegistry) {}

  async putFriend(ownerId: string, entry: FriendEntry): Promise<void> {
    await this.registry.change(userDocName(ownerId), (doc) => {
      const friends = friendsOf(doc);
      if (JSON.stringify(friends.get(entry.id)) !== JSON.stringify(entry)) friends.set(entry.id, entry);
    });
  }

  async removeFriend(ownerId: string, friendId: string): Promise<void> {
    await this.registry.change(userDocName(ownerId), (doc) => {
      if (friendsOf(doc).has(friendId)) friendsOf(doc).delete(friendId);
    });
  }

  async putRequest(ownerId: string, entry: FriendRequestEntry): Promise<void> {
    await this.registry.change(userDocName(ownerId), (doc) => requestsOf(doc).set(entry.id, entry));
  }

  async removeRequest(ownerId: string, requestId: string): Promise<void> {
    await this.registry.change(userDocName(ownerId), (doc) => {
      if (requestsOf(doc).has(requestId)) requestsOf(doc).delete(requestId);
    });
  }
}
