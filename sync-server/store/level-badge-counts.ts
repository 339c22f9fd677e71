/** Badge counts in LevelDB (badge-counts.ts), under the relay's old keys: `pushUnread`, `userId!conversationId` → count. */
import type { BadgeCountStore } from './badge-counts.js';
import type { Database } from './database.js';
import { compositeKey, keyPrefix, prefixRange } from './keys.js';

export class LevelBadgeCountStore implements BadgeCountStore {
  private readonly counts;

  constructor(db: Database) {
    this.counts = db.root.sublevel<string, number>('pushUnread', { valueEncoding: 'json' });
  }

  async set(userId: string, conversationId: string, count: number): Promise<void> {
    if (count > 0) await this.counts.put(compositeKey(userId, conversationId), count);
    else await this.counts.del(compositeKey(userId, conversationId));
  }

  async total(userId: string, leaveOut: readonly string[] = []): Promise<number> {
    const skipped = new Set(leaveOut.map((conversationId) => compositeKey(userId, conversationId)));
    let total = 0;
    for await (const [key, count] of this.counts.iterator(prefixRange(keyPrefix(userId)))) if (!skipped.has(key)) total += count;
    return total;
  }
}
