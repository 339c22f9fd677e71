/** Keeps the profile in a person's `user/<id>` document in step with their account (a named command, run where the document is owned). */
import type { DocumentCommands } from '../commands/document-command.js';
import type { UserRecord } from '../store/database.js';

export async function syncProfile(commands: DocumentCommands, user: UserRecord): Promise<void> {
  const { id, name, email, bio, location, avatar } = user;
  await commands.run({ kind: 'profile', userId: id, profile: { id, name, email, bio, location, avatar } });
}
