/**
 * The app badge's number: unread messages per conversation, kept for people
 * with devices as messages arrive and as they read (`userId!conversationId`
 * → count). The badge is their sum. It is an approximation (docs/PUSH.md):
 * conversations with no message since the person subscribed do not count.
 */
import type { Database } from '../store/database.js';
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';

export class BadgeCounts {
  private readonly counts;

  constructor(db: Database) {
    this.counts = db.root.sublevel<string, number>('pushUnread', { valueEncoding: 'json' });
  }

  async set(userId: string, conversationId: string, count: number): Promise<void> {
    if (count > 0) await this.counts.put(compositeKey(userId, conversationId), count);
    else await this.counts.del(compositeKey(userId, conversationId));
  }

  async total(userId: string): Promise<number> {
    const prefix = keyPrefix(userId);
    let total = 0;
    for await (const count of this.counts.values(prefixRange(prefix))) total += count;
    return total;
  }
}
