/**
 * Search in a cluster (issues 11 and 18): two relays on one PostgreSQL
 * schema, without Redis (each relay serves the documents it owns). A
 * message written and indexed where its conversation is owned is found by a
 * member searching through the other relay, since both read the one index in
 * PostgreSQL; a stranger asking the other relay finds nothing.
 */
import { afterEach, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import type { SearchResponse } from '../../shared/search-api.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { directConversationId } from '../conversations/conversation-service.js';
import type { RunningServer } from '../server.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { startTestServer } from '../testing/start-test-server.js';
import { openDoc, whenSynced } from '../testing/synced-client.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';
import { useTestSchema } from '../testing/use-test-schema.js';
import { waitFor } from '../testing/wait-for.js';

const postgres = useTestSchema({ each: true });
const relays: RunningServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

it('finds through one relay what was written and indexed on another, for members only', async () => {
  for (let i = 0; i < 2; i++) {
    dirs.push(await makeTempDir());
    relays.push(await startTestServer({ dataDir: dirs[i], postgres: postgres.config }));
  }
  const [one, two] = relays;
  // No catch-up walks a cluster's documents (a relay indexes whole a document whose clock is behind as it loads it).
  expect(one.searchCatchUp).toBeNull();
  const ada = await createUser(one, 'Ada');
  const bob = await createUser(one, 'Bob');
  const eve = await createUser(one, 'Eve');
  await befriend(one, ada, bob);
  const chat = openDoc(one, ada, convDocName(directConversationId(ada.id, bob.id)));
  await whenSynced(chat);
  const message = writeMessage(chat.doc, ada.id, '这个周末去爬山 with the hiking club');
  await waitFor(chat.doc, () => seqIndexOf(chat.doc).has(message.id), 10_000, 'message stored');
  await one.context.search.idle();

  const search = (user: typeof ada, q: string) =>
    api<SearchResponse>(two, 'GET', `/api/search?${new URLSearchParams({ q })}`, { cookie: user.cookie });
  expect((await search(bob, '周末')).body.hits.map((hit) => hit.messageId)).toEqual([message.id]);
  expect((await search(bob, 'hik clu')).body.hits.map((hit) => hit.text)).toEqual([message.text]);
  expect((await search(eve, '周末')).body.hits).toEqual([]);
  chat.destroy();
});
