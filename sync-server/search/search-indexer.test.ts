/** The server's index catches up with conversations stored before search existed, when they next load. */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import type { SearchResponse } from '../../shared/search-api.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer();

describe('SearchIndexer', () => {
  it('indexes a conversation stored before search existed when it loads again', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, alice, bob);
    const chat = test.open(alice, convDocName(id));
    const messages = ['an old message about kayaks', '旧的消息说划船'].map((text) => writeMessage(chat.doc, alice.id, text));
    await waitFor(chat.doc, () => messages.every((m) => seqIndexOf(chat.doc).has(m.id)), 10_000, 'stored');
    test.closeClients();

    // As a store written before search existed: no index at all. The catch-up at start is off: this is what a load does.
    await test.restart({ searchCatchUp: { perPass: 0 } }, async () => {
      const db = await Database.open(test.dataDir);
      for (const name of ['searchRuns', 'searchMessages', 'searchConversations']) await db.root.sublevel(name).clear();
      await db.close();
    });
    const search = (q: string) => api<SearchResponse>(test.server, 'GET', `/api/search?q=${encodeURIComponent(q)}`, { cookie: bob.cookie });
    expect((await search('kayak')).body.hits).toEqual([]);

    // The conversation loads (someone opens it): the whole of it is indexed.
    const reopened = test.open(bob, convDocName(id));
    await waitFor(reopened.doc, () => seqIndexOf(reopened.doc).size >= 2, 10_000, 'synced');
    await test.server.context.search.idle();
    expect((await search('kayak')).body.hits.map((hit) => hit.text)).toEqual(['an old message about kayaks']);
    expect((await search('划船')).body.hits.map((hit) => hit.text)).toEqual(['旧的消息说划船']);
  });
});
