/** Keeps the profile in a person's `user/<id>` document in step with their account. */
import { userDocName } from '../../shared/doc-names.js';
import { profileOf } from '../../shared/schema.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { UserRecord } from '../store/database.js';

export async function syncProfile(registry: DocRegistry, user: UserRecord): Promise<void> {
  await registry.change(userDocName(user.id), (doc) => {
    const profile = profileOf(doc);
    const wanted = { id: user.id, name: user.name, email: user.email, bio: user.bio, location: user.location, avatar: user.avatar };
    for (const [key, value] of Object.entries(wanted)) {
      // Setting an equal value would still grow the document.
      if (value === undefined) {
        if (profile.has(key)) profile.delete(key);
      } else if (profile.get(key) !== value) {
        profile.set(key, value);
      }
    }
  });
}
