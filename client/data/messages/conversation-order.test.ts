import { describe, expect, it } from 'vitest';
import type { Head } from '../../../shared/heads.js';
import type { ConversationSummary } from '../../../shared/schema.js';
import type { ListState } from '../../../shared/list-state.js';
import { byLastActivity, listSections } from './conversation-order.js';

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

describe('listSections', () => {
  it('puts pinned conversations on top, the latest pinned first, and archived ones apart, whatever arrives in them', () => {
    const heads = new Map<string, Head>([
      ['busy', head(9000)],
      ['archived-busy', head(9999)],
      ['pinned-early', head(100)],
      ['pinned-late', head(200)],
      ['quiet', head(50)],
    ]);
    const states = new Map<string, ListState>([
      ['pinned-early', { pinnedAt: 1_700_000_000_000 }],
      ['pinned-late', { pinnedAt: 1_700_000_000_500, unread: true }],
      ['archived-busy', { archived: true }],
    ]);
    const list = [...heads.keys()].map((id) => summary(id, 1));
    const sections = listSections(
      list,
      (id) => heads.get(id),
      (id) => states.get(id) ?? {},
    );
    expect(sections.main.map((s) => s.id)).toEqual(['pinned-late', 'pinned-early', 'busy', 'quiet']);
    expect(sections.archived.map((s) => s.id)).toEqual(['archived-busy']);
  });
});
