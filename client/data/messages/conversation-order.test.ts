import { describe, expect, it } from 'vitest';
import type { Head } from '../../../shared/heads.js';
import type { ConversationSummary } from '../../../shared/schema.js';
import { byLastActivity } from './conversation-order.js';

const summary = (id: string, createdAt: number): ConversationSummary => ({ id, kind: 'direct', title: id, createdAt });
const head = (at: number): Head => ({ seq: 1, at, author: 'bob', kind: 'text', preview: 'hi', readSeq: 0 });

describe('byLastActivity', () => {
  it('orders by the newest message, a conversation without one by when it was made, newest first', () => {
    const heads = new Map<string, Head>([
      ['old-but-busy', head(5000)],
      ['quiet', head(1500)],
    ]);
    const list = [summary('quiet', 1000), summary('old-but-busy', 100), summary('new-empty', 3000)];
    expect(byLastActivity(list, (id) => heads.get(id)).map((s) => s.id)).toEqual(['old-but-busy', 'new-empty', 'quiet']);
  });

  it('keeps ties in a stable order', () => {
    const list = [summary('b', 10), summary('a', 10), summary('c', 10)];
    expect(byLastActivity(list, () => undefined).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });
});
