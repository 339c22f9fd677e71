/**
 * The search index keeps a term's postings in runs, one key per term and
 * index write (issue 14, session 8). A store indexed in the layout before
 * (one `searchPostings` key per term and message, `term!time!convId!messageId`,
 * records without a run) is turned into runs at start: its old messages are
 * still found, and an edit or a delete of one still takes its postings out.
 * Real LevelDB on disk; the real server and its HTTP route for the start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import type { SearchResponse } from '../../shared/search-api.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';
import type { IndexedMessage } from './message-index.js';
import { MessageIndexStore, RUN_MESSAGES } from './message-index-store.js';

/** What the layout before runs kept of a message: its record (no run) and a key per term. */
async function writeOldLayout(db: Database, conversationId: string, messages: readonly IndexedMessage[]): Promise<void> {
  const postings = db.root.sublevel<string, string>('searchPostings', { valueEncoding: 'utf8' });
  const records = db.root.sublevel<string, Omit<IndexedMessage, 'messageId'>>('searchMessages', { valueEncoding: 'json' });
  for (const { messageId, ...record } of messages) {
    await records.put(`${conversationId}!${messageId}`, record);
    for (const term of record.terms)
      await postings.put(`${term}!${String(record.createdAt).padStart(16, '0')}!${conversationId}!${messageId}`, '');
  }
}

/** Turns what the server indexed into the layout before runs, as a store written by that version holds it. */
async function rewriteAsOldLayout(db: Database): Promise<number> {
  const records = db.root.sublevel<string, IndexedMessage & { run?: string }>('searchMessages', { valueEncoding: 'json' });
  let count = 0;
  for await (const [key, { run: _run, ...record }] of records.iterator()) {
    const [conversationId, messageId] = key.split('!');
    await writeOldLayout(db, conversationId, [{ ...record, messageId }]);
    count++;
  }
  await db.root.sublevel('searchRuns').clear();
  return count;
}

const message = (messageId: string, createdAt: number, text: string): IndexedMessage => ({
  messageId,
  author: 'u1',
  text,
  createdAt,
  seq: createdAt,
  terms: text.split(' '),
});

describe('MessageIndexStore on a store of the layout before runs', () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = await makeTempDir();
    db = await Database.open(dir);
  });
  afterEach(async () => {
    await db.close();
    await removeDir(dir);
  });

  it('finds the old messages after the migration, takes an edited or deleted one out, and migrates once', async () => {
    await writeOldLayout(db, 'c1', [
      message('m1', 1_000, 'kayak river'),
      message('m2', 2_000, 'kayak lake'),
      message('m3', 3_000, 'canoe lake'),
    ]);
    const index = new MessageIndexStore(db);
    const ids = async (term: string, prefix = false) =>
      (await index.candidates(['c1'], [{ term, prefix }], 10)).map((hit) => hit.messageId);
    expect(await ids('kayak')).toEqual([]);

    expect(await index.migratePostingsToRuns()).toBe(3);
    expect(await ids('kayak')).toEqual(['m2', 'm1']);
    expect(await ids('lak', true)).toEqual(['m3', 'm2']);
    expect(await db.root.sublevel('searchPostings').keys().all()).toEqual([]);
    expect(await index.migratePostingsToRuns()).toBe(0);

    await index.apply('c1', [message('m2', 2_000, 'sea lake')], ['m1']);
    expect(await ids('kayak')).toEqual([]);
    expect(await ids('lake')).toEqual(['m3', 'm2']);
    expect((await index.records('c1', ['m2']))[0]).toEqual(message('m2', 2_000, 'sea lake'));
  });

  it('answers newest first across runs, whatever order the runs were written in', async () => {
    const index = new MessageIndexStore(db);
    // A live write, then a whole indexing of older messages (more than one run), then one at the newest time again.
    await index.apply('c1', [message('new', 50_000, 'word')], []);
    const old = Array.from({ length: RUN_MESSAGES * 2 + 5 }, (_, i) => message(`old${String(i).padStart(3, '0')}`, 1_000 + i * 10, 'word'));
    await index.apply('c1', old.toReversed(), []);
    await index.apply('c1', [message('tie', 50_000, 'word')], []);
    const hits = await index.candidates(['c1'], [{ term: 'word', prefix: false }], 1_000);
    expect(hits.map((hit) => hit.messageId)).toEqual(['tie', 'new', ...old.map((m) => m.messageId).reverse()]);
    expect(await db.root.sublevel('searchRuns').keys().all()).toHaveLength(5);
  });
});

describe('a server started on a store of the layout before runs', () => {
  const test = useTestServer({ searchCatchUp: { perPass: 0 } });

  const texts = async (user: TestUser, q: string) =>
    (await api<SearchResponse>(test.server, 'GET', `/api/search?q=${encodeURIComponent(q)}`, { cookie: user.cookie })).body.hits
      .map((hit) => hit.text)
      .sort();

  it('finds the messages indexed before, for members only', async () => {
    const [alice, bob, mallory] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    const id = await directConversation(test.server, alice, bob);
    const chat = test.open(alice, convDocName(id));
    const written = ['an old message about kayaks', 'another kayak trip'].map((text) => writeMessage(chat.doc, alice.id, text));
    await waitFor(chat.doc, () => written.every((m) => seqIndexOf(chat.doc).has(m.id)), 10_000, 'stored');
    await test.server.context.search.idle();
    const both = ['an old message about kayaks', 'another kayak trip'];
    expect(await texts(bob, 'kayak')).toEqual(both);

    test.closeClients();
    let rewritten = 0;
    await test.restart({ searchCatchUp: { perPass: 0 } }, async () => {
      const stopped = await Database.open(test.dataDir);
      rewritten = await rewriteAsOldLayout(stopped);
      await stopped.close();
    });
    expect(rewritten).toBeGreaterThanOrEqual(2);
    expect(await texts(bob, 'kayak')).toEqual(both);
    expect(await texts(alice, 'trip')).toEqual(['another kayak trip']);
    expect(await texts(mallory, 'kayak')).toEqual([]);
  });
});
