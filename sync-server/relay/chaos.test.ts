/**
 * Chaos: ten clients send a hundred messages each through a proxy that cuts
 * connections at random, while the relay is SIGKILLed and restarted several
 * times. Every replica must end with every message exactly once, the same
 * state everywhere, and distinct sequence numbers.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { pause, useChaosRelay } from '../testing/chaos-relay.js';
import { openDoc, type SyncedClient } from '../testing/synced-client.js';
import { waitFor } from '../testing/wait-for.js';

const CLIENTS = 10;
const MESSAGES_PER_CLIENT = 100;
const KILLS = 3;
const CONVERGENCE_TIMEOUT_MS = 60_000;

const chaos = useChaosRelay('happy-chat-chaos-');
const clients: SyncedClient[] = [];

it('loses, duplicates and misorders nothing through cuts and SIGKILLs', async () => {
  const { seed, random, proxyAddress, people, conversationId } = await chaos.scene();
  const docName = convDocName(conversationId);

  // Five devices per person, all through the flaky proxy.
  for (let i = 0; i < CLIENTS; i++) {
    clients.push(chaos.track(openDoc(proxyAddress, people[i % 2], docName, new Y.Doc(), { maxBackoffTime: 300 })));
  }

  const expected = new Set<string>();
  const send = async (clientIndex: number) => {
    const client = clients[clientIndex];
    const author = people[clientIndex % 2].id;
    for (let n = 0; n < MESSAGES_PER_CLIENT; n++) {
      const text = `client ${clientIndex} message ${n}`;
      expected.add(text);
      writeMessage(client.doc, author, text);
      await pause(5 + random() * 35);
    }
  };

  const stopCutting = chaos.cutAtRandom(random);
  const killer = (async () => {
    for (let k = 0; k < KILLS; k++) {
      await pause(400 + random() * 600);
      await chaos.server.kill();
      await pause(random() * 300);
      await chaos.server.start();
    }
  })();

  await Promise.all([...clients.map((_, i) => send(i)), killer]);
  await stopCutting();

  // Converged: every replica has every message, each numbered, and all replicas are equal.
  const total = CLIENTS * MESSAGES_PER_CLIENT;
  const complete = (client: SyncedClient) => messagesOf(client.doc).size === total && seqIndexOf(client.doc).size === total;
  const fingerprint = (client: SyncedClient) => JSON.stringify([...seqIndexOf(client.doc).entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  const converged = () => clients.every(complete) && new Set(clients.map(fingerprint)).size === 1;
  await waitFor(
    clients.map((client) => client.doc),
    converged,
    CONVERGENCE_TIMEOUT_MS,
  ).catch(() => {
    throw new Error(
      `no convergence in ${CONVERGENCE_TIMEOUT_MS} ms (seed ${seed}): ${clients.map((c) => `${messagesOf(c.doc).size}/${seqIndexOf(c.doc).size}`).join(' ')}`,
    );
  });

  for (const client of clients) {
    const texts = [...messagesOf(client.doc).values()].map((m) => m.text);
    expect(texts).toHaveLength(total);
    expect(new Set(texts)).toEqual(expected);
    const numbers = [...seqIndexOf(client.doc).values()].sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(total);
    // Nothing numbered was lost in a crash, so the numbers have no gaps either.
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  }
  const stateVectors = new Set(clients.map((c) => Buffer.from(Y.encodeStateVector(c.doc)).toString('base64')));
  expect(stateVectors.size).toBe(1);
  console.log(
    `chaos (seed ${seed}): ${CLIENTS} clients × ${MESSAGES_PER_CLIENT} messages = ${total} messages on every replica, ` +
      `${total} distinct sequence numbers, ${KILLS} SIGKILL restarts, ${chaos.proxy.cuts} connections cut, 0 lost, 0 duplicated`,
  );
}, 120_000);
