/**
 * A real server with DATABASE_URL (its own schema): two people chat over
 * real WebSockets, their conversation is stored in PostgreSQL (not in
 * LevelDB), and a restart keeps it. A relay that loses its lease drops its
 * rooms (1013) and its clients come back to a claim under its new identity,
 * with nothing lost.
 */
import { expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { directConversation } from '../../testing/direct-conversation.js';
import { createUser } from '../../testing/test-users.js';
import { useTestSchema } from '../../testing/use-test-schema.js';
import { useTestServer } from '../../testing/use-test-server.js';
import { waitFor } from '../../testing/wait-for.js';
import { logRange } from '../keys.js';

const pg = useTestSchema();
const test = useTestServer(async () => ({ postgres: pg.config }));

async function storedDoc(name: string): Promise<{ owner: string; next_clock: number } | undefined> {
  const { rows } = await pg.pool.query('SELECT owner, next_clock::int FROM doc WHERE name = $1', [name]);
  return rows[0];
}

it('stores a conversation two people write over real sockets in PostgreSQL, and keeps it through a restart', async () => {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const docName = convDocName(await directConversation(test.server, ada, bob));
  const adaClient = test.open(ada, docName);
  const bobClient = test.open(bob, docName);
  const hello = writeMessage(adaClient.doc, ada.id, 'hello from Ada');
  await waitFor(bobClient.doc, () => seqIndexOf(bobClient.doc).get(hello.id) === 1, 10_000, "Ada's message at Bob");
  const reply = writeMessage(bobClient.doc, bob.id, 'hi Ada');
  await waitFor(adaClient.doc, () => seqIndexOf(adaClient.doc).get(reply.id) === 2, 10_000, "Bob's reply at Ada");

  const firstProcess = test.server.postgres?.lease.id;
  expect((await storedDoc(docName))?.owner).toBe(firstProcess);
  expect((await storedDoc(docName))?.next_clock).toBeGreaterThan(0);
  // The documents are in PostgreSQL only: LevelDB holds no entry of the conversation.
  expect(await test.server.context.db.docs.keys(logRange(docName)).all()).toEqual([]);

  test.closeClients();
  await test.restart();
  // A new process, claiming at once: the old one ended its lease when it stopped.
  expect(test.server.postgres?.lease.id).not.toBe(firstProcess);
  const reader = test.open(bob, docName);
  await waitFor(reader.doc, () => seqIndexOf(reader.doc).size === 2, 10_000, 'the conversation after the restart');
  expect(messagesOf(reader.doc).get(hello.id)?.text).toBe('hello from Ada');
  expect(seqIndexOf(reader.doc).get(reply.id)).toBe(2);
  expect((await storedDoc(docName))?.owner).toBe(test.server.postgres?.lease.id);
});

it('drops the rooms of a lost lease with 1013; the clients come back and nothing is lost', async () => {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const docName = convDocName(await directConversation(test.server, ada, bob));
  const adaClient = test.open(ada, docName);
  const bobClient = test.open(bob, docName);
  const closed = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Bob's socket was not closed")), 10_000);
    bobClient.provider.on('connection-close', (event) => {
      clearTimeout(timer);
      resolve(event?.code ?? 0);
    });
  });
  const first = writeMessage(adaClient.doc, ada.id, 'before');
  await waitFor(bobClient.doc, () => seqIndexOf(bobClient.doc).get(first.id) === 1, 10_000, 'the first message at Bob');

  const lease = test.server.postgres?.lease;
  if (!lease) throw new Error('the server runs without PostgreSQL');
  const lostIdentity = lease.id;
  // As if the relay had been paused past its lease: PostgreSQL's clock says it ran out, and the next renewal finds out.
  await pg.pool.query("UPDATE relay_process SET lease_until = now() - interval '1 second' WHERE id = $1", [lostIdentity]);
  await lease.renew();
  expect(await closed).toBe(1013);

  const second = writeMessage(bobClient.doc, bob.id, 'after');
  await waitFor(
    adaClient.doc,
    () => seqIndexOf(adaClient.doc).get(second.id) === 2,
    15_000,
    'the second message at Ada, after the reconnect',
  );
  const row = await storedDoc(docName);
  expect(row?.owner).not.toBe(lostIdentity);
  expect(row?.owner).toBe(lease.id);
});
