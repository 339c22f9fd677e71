/**
 * The social parts of a person's `user/<id>` document, written by the
 * server: friends (with the owner's private remark) and pending requests.
 * This is how changes reach people live, and what they read offline. Each
 * write is a named command (commands/document-command.ts), run on the relay
 * that owns the document.
 */
import type { FriendEntry, FriendRequestEntry, PersonSummary } from '../../shared/schema.js';
import type { DocumentCommands } from '../commands/document-command.js';
import type { UserRecord } from '../store/database.js';

export function personSummary(user: UserRecord): PersonSummary {
  const summary: PersonSummary = { id: user.id, name: user.name };
  if (user.avatar) summary.avatar = user.avatar;
  return summary;
}

export class SocialDocuments {
  constructor(private readonly commands: DocumentCommands) {}

  async putFriend(ownerId: string, entry: FriendEntry): Promise<void> {
    await this.commands.run({ kind: 'friend-put', userId: ownerId, entry });
  }

  async removeFriend(ownerId: string, friendId: string): Promise<void> {
    await this.commands.run({ kind: 'friend-remove', userId: ownerId, friendId });
  }

  async putRequest(ownerId: string, entry: FriendRequestEntry): Promise<void> {
    await this.commands.run({ kind: 'request-put', userId: ownerId, entry });
  }

  async removeRequest(ownerId: string, requestId: string): Promise<void> {
    await this.commands.run({ kind: 'request-remove', userId: ownerId, requestId });
  }
}
