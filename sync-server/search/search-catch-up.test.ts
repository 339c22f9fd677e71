/**
 * After an upgrade that changed the index's layout, a conversation nobody
 * opens again is still found: the catch-up at start indexes it (real
 * server, real LevelDB, the HTTP route). The store is left as the previous
 * layout left it: the conversations marked at version 1, no postings,
 * records or clocks of the new layout, the old terms there until the
 * startup drop.
 */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import type { SearchResponse } from '../../shared/search-api.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { ServerConfig } from '../config.js';
import { Database } from '../store/database.js';
import { api } from '../testing/api-call.js';
import { befriend, directConversation } from '../testing/direct-conversation.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';
import { levelConversationDocuments } from './search-catch-up.js';

const test = useTestServer();

function search(user: TestUser, q: string) {
  return api<SearchResponse>(test.server, 'GET', `/api/search?q=${encodeURIComponent(q)}`, { cookie: user.cookie });
}

const texts = async (user: TestUser, q: string) => (await search(user, q)).body.hits.map((hit) => hit.text).sort();

/** Writes these messages into the conversation and waits until they are stored and numbered. */
async function write(user: TestUser, conversationId: string, messages: readonly string[]): Promise<void> {
  const chat = test.open(user, convDocName(conversationId));
  const written = messages.map((text) => writeMessage(chat.doc, user.id, text));
  await waitFor(chat.doc, () => written.every((m) => seqIndexOf(chat.doc).has(m.id)), 10_000, 'stored');
}

/**
 * Restarts on the store as the first index layout left it (every conversation document at version 1, none of the
 * second layout's keys); answers how many conversation documents are stored.
 */
async function restartAfterUpgrade(overrides: Partial<ServerConfig>): Promise<number> {
  test.closeClients();
  let documents = 0;
  await test.restart(overrides, async () => {
    const db = await Database.open(test.dataDir);
    for (const name of ['searchRuns', 'searchMessages', 'searchClocks', 'searchConversations']) await db.root.sublevel(name).clear();
    const versions = db.root.sublevel<string, number>('searchConversations', { valueEncoding: 'json' });
    for await (const { docName } of levelConversationDocuments(db)(null)) {
      documents++;
      await versions.put(docName, 1);
    }
    await db.root.sublevel<string, string>('searchTerms', { valueEncoding: 'utf8' }).put('c!kayak!m', '');
    await db.close();
  });
  return documents;
}

describe('SearchCatchUp', () => {
  it('indexes, at start, a conversation nobody opens after an upgrade; a stranger still finds nothing', async () => {
    const [alice, bob, mallory] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    const id = await directConversation(test.server, alice, bob);
    await write(alice, id, ['an old message about kayaks', '旧的消息说划船']);

    const documents = await restartAfterUpgrade({ searchCatchUp: { pauseMs: 0 } });
    expect(documents).toBeGreaterThanOrEqual(1);
    const catchUp = test.server.searchCatchUp;
    if (!catchUp) throw new Error('no catch-up with LevelDB');
    await catchUp.whenPasses(Number.POSITIVE_INFINITY);
    await test.server.context.search.idle();

    expect(catchUp.passes.reduce((sum, pass) => sum + pass.caughtUp, 0)).toBe(documents);
    // Nobody opened it: the catch-up did, and let it go.
    expect(await texts(bob, 'kayak')).toEqual(['an old message about kayaks']);
    expect(await texts(alice, '划船')).toEqual(['旧的消息说划船']);
    expect(await texts(mallory, 'kayak')).toEqual([]);
    expect(await texts(mallory, '划船')).toEqual([]);

    // Once done, a later start has nothing to do.
    await test.restart({ searchCatchUp: { pauseMs: 0 } });
    const again = test.server.searchCatchUp;
    await again?.whenPasses(Number.POSITIVE_INFINITY);
    expect(again?.passes.reduce((sum, pass) => sum + pass.caughtUp, 0)).toBe(0);
    expect(await texts(bob, 'kayak')).toEqual(['an old message about kayaks']);
  });

  it('works in bounded passes, a few documents in memory at once, and resumes after a restart in the middle', async () => {
    const [alice, bob, mallory] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    await befriend(test.server, alice, bob);
    const groups = 6;
    for (let i = 0; i < groups; i++) {
      const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
        cookie: alice.cookie,
        body: { kind: 'group', title: `Trip ${i}`, memberIds: [bob.id] },
      });
      expect(created.status).toBe(201);
      await write(alice, created.body.id, [`kayak trip number${i}`]);
    }
    const expected = Array.from({ length: groups }, (_, i) => `kayak trip number${i}`).sort();

    // Two documents a pass, one at a time, then a pause far longer than the test: the restart comes in that pause.
    const bounds = { perPass: 2, concurrency: 1, maxResident: 1, passMs: 600_000, pauseMs: 3_600_000 };
    const documents = await restartAfterUpgrade({ searchCatchUp: bounds, docUnloadGraceMs: 20 });
    expect(documents).toBeGreaterThan(groups);
    const first = test.server.searchCatchUp;
    if (!first) throw new Error('no catch-up with LevelDB');
    await first.whenPasses(1);
    await test.server.context.search.idle();
    expect(first.passes).toHaveLength(1);
    expect(first.passes[0].caughtUp).toBe(2);
    expect(first.finished).toBe(false);
    // Half done: not every trip is found yet.
    expect((await texts(bob, 'kayak')).length).toBeLessThan(groups);

    // Restarted in the middle (the pause): the next start does the rest, and only the rest.
    await test.restart({ searchCatchUp: { ...bounds, pauseMs: 0 }, docUnloadGraceMs: 20 });
    const second = test.server.searchCatchUp;
    if (!second) throw new Error('no catch-up with LevelDB');
    await second.whenPasses(Number.POSITIVE_INFINITY);
    await test.server.context.search.idle();
    expect(second.passes.reduce((sum, pass) => sum + pass.caughtUp, 0)).toBe(documents - 2);
    for (const pass of second.passes) {
      expect(pass.caughtUp).toBeLessThanOrEqual(bounds.perPass);
      expect(pass.peakResident).toBeLessThanOrEqual(bounds.maxResident);
      // Nobody is connected: the registry held one conversation at a time, besides user documents its heads go to (four people).
      expect(pass.peakLoaded).toBeLessThanOrEqual(bounds.maxResident + 4);
    }
    expect(await texts(bob, 'kayak')).toEqual(expected);
    expect(await texts(alice, 'number3')).toEqual(['kayak trip number3']);
    expect(await texts(mallory, 'kayak')).toEqual([]);
  });

  it('stops at shutdown with the documents in hand indexed, and the next start does the rest', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    await befriend(test.server, alice, bob);
    const groups = 4;
    for (let i = 0; i < groups; i++) {
      const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
        cookie: alice.cookie,
        body: { kind: 'group', title: `Ferry ${i}`, memberIds: [bob.id] },
      });
      await write(alice, created.body.id, [`ferry crossing number${i}`]);
    }
    // Three at once, and its documents stay loaded (a long unload grace): it can never go past three before the stop.
    const bounds = { perPass: 1_000, concurrency: 3, maxResident: 3, passMs: 600_000, pauseMs: 0 };
    let indexedOne!: () => void;
    const firstIndexed = new Promise<void>((resolve) => (indexedOne = resolve));
    const documents = await restartAfterUpgrade({
      docUnloadGraceMs: 600_000,
      searchCatchUp: { ...bounds, onCaughtUp: () => indexedOne() },
    });
    expect(documents).toBeGreaterThan(bounds.maxResident);
    const first = test.server.searchCatchUp;
    if (!first) throw new Error('no catch-up with LevelDB');
    // A document indexed: the server stops now, others in hand or waiting for room.
    await firstIndexed;
    await test.restart({ searchCatchUp: bounds });
    expect(first.finished).toBe(true);
    const done = first.passes.reduce((sum, pass) => sum + pass.caughtUp, 0);
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThanOrEqual(bounds.maxResident);

    const second = test.server.searchCatchUp;
    if (!second || second === first) throw new Error('not restarted');
    await second.whenPasses(Number.POSITIVE_INFINITY);
    await test.server.context.search.idle();
    // Nothing done twice, nothing left out.
    expect(second.passes.reduce((sum, pass) => sum + pass.caughtUp, 0)).toBe(documents - done);
    expect((await texts(bob, 'ferry')).length).toBe(groups);
  });
});
