/**
 * PostgreSQL goes away under a running relay and comes back (issue 11,
 * test 5, with a proxy cutting every connection instead of stopping the
 * shared server): the write that could not be stored closes its sockets
 * (1013 for everyone, its writer too), nothing committed is lost, and
 * once PostgreSQL answers again the same relay, never restarted, stores the
 * change the clients hand over, numbered on from where the log was.
 */
import { afterEach, expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { directConversation } from '../../testing/direct-conversation.js';
import { FlakyProxy } from '../../testing/flaky-proxy.js';
import type { SyncedClient } from '../../testing/synced-client.js';
import { createUser } from '../../testing/test-users.js';
import { TEST_DATABASE_URL, useTestSchema } from '../../testing/use-test-schema.js';
import { useTestServer } from '../../testing/use-test-server.js';
import { waitFor } from '../../testing/wait-for.js';

const pg = useTestSchema();
let proxy: FlakyProxy | undefined;
const test = useTestServer(async () => {
  const target = new URL(TEST_DATABASE_URL);
  proxy = new FlakyProxy(Number(target.port || 5432));
  target.port = String(await proxy.listen());
  return { postgres: { ...pg.config, url: target.toString(), connectionTimeoutMs: 1_000 } };
});

afterEach(async () => {
  await proxy?.close();
});

/** The code of the client's next socket close (bounded). */
function nextClose(client: SyncedClient): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket was not closed')), 10_000);
    const onClose = (event: CloseEvent | null) => {
      clearTimeout(timer);
      client.provider.off('connection-close', onClose);
      resolve(event?.code ?? 0);
    };
    client.provider.on('connection-close', onClose);
  });
}

it('closes the sockets of a write PostgreSQL could not take, keeps what was committed, and resumes without a restart', async () => {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const docName = convDocName(await directConversation(test.server, ada, bob));
  const adaClient = test.open(ada, docName);
  const bobClient = test.open(bob, docName);
  const before = writeMessage(adaClient.doc, ada.id, 'before the outage');
  await waitFor(bobClient.doc, () => seqIndexOf(bobClient.doc).get(before.id) === 1, 10_000, 'the first message at Bob');

  proxy?.down();
  const [adaClosed, bobClosed] = [nextClose(adaClient), nextClose(bobClient)];
  const during = writeMessage(adaClient.doc, ada.id, 'written while PostgreSQL is away');
  // 1013, not a full disk's 4507: PostgreSQL out of reach comes back within seconds (relay/storage-outage.ts).
  expect(await adaClosed).toBe(CloseCode.tryAgainLater);
  expect(await bobClosed).toBe(CloseCode.tryAgainLater);
  expect(seqIndexOf(bobClient.doc).has(during.id)).toBe(false);

  proxy?.up();
  // The clients reconnect on their own; Ada hands her change over, and it is numbered after what was stored.
  await waitFor(bobClient.doc, () => seqIndexOf(bobClient.doc).get(during.id) === 2, 20_000, 'the change made during the outage at Bob');
  const { rows } = await pg.pool.query('SELECT next_clock::int FROM doc WHERE name = $1', [docName]);
  expect(rows[0].next_clock).toBeGreaterThanOrEqual(2);
  expect(seqIndexOf(adaClient.doc).get(before.id)).toBe(1);
});
