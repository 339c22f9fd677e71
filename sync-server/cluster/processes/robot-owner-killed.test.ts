/**
 * Issue 11, test 7 (the robot), with three relay processes: a question to the
 * robot whose LLM (a loopback stand-in) is slow, and the relay owning the
 * conversation SIGKILLed while the robot waits for the answer. The relay
 * that takes the conversation over answers the question from its backlog:
 * exactly one reply, in every replica and in the log.
 */
import { afterEach, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { convDocName } from '../../../shared/doc-names.js';
import { ROBOT_USER_ID } from '../../../shared/robot.js';
import { messagesOf } from '../../../shared/schema.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { robotConversationId } from '../../robot/robot-account.js';
import { useRelayCluster } from '../../testing/relay-cluster.js';
import { SlowLlm } from '../../testing/slow-llm.js';
import { whenSynced } from '../../testing/synced-client.js';
import { createUser } from '../../testing/test-users.js';
import { waitFor } from '../../testing/wait-for.js';

const cluster = useRelayCluster();
let llm: SlowLlm | undefined;

afterEach(async () => {
  await llm?.close();
  llm = undefined;
});

const repliesTo = (doc: Y.Doc, id: string) => [...messagesOf(doc).values()].filter((m) => m.author === ROBOT_USER_ID && m.replyTo === id);

it('answers a question exactly once when the owner is SIGKILLed while the robot waits for a slow LLM', async () => {
  llm = await SlowLlm.listen();
  // The product's lease (4 s, not the cluster's 1 s): under load a relay that lost its lease during setup moved the
  // conversation, and the relay killed was no longer the one holding the robot's request (nothing asked again).
  const relays = await cluster.start(3, { leaseMs: 4000, env: { ROBOT_LLM_URL: llm.url, ROBOT_LLM_TIMEOUT_MS: '60000' } });
  const ada = await createUser(relays[0], 'Ada');
  const docName = convDocName(robotConversationId(ada.id));
  const clients = [cluster.open(relays[1], ada, docName), cluster.open(relays[2], ada, docName)];
  await Promise.all(clients.map(whenSynced));

  const question = writeMessage(clients[0].doc, ada.id, 'tell me a long story');
  await llm.nextRequest();
  // The relay that asked: the owner once the robot is waiting, whichever relay claimed the conversation first.
  const owner = await cluster.waitForOwner(docName);
  // A client that survives the kill: on a relay other than the owner.
  const survivor = clients.find((_, i) => relays[i + 1] !== owner) ?? clients[0];
  await owner.kill();
  // The new owner finds the question unanswered when it loads the conversation, and asks again.
  const retry = await llm.nextRequest(60_000);
  retry.answer('Once upon a time, a relay died mid-sentence.');
  await waitFor(survivor.doc, () => repliesTo(survivor.doc, question.id).length > 0, 30_000, 'the reply');
  expect(await cluster.ownerOf(docName)).not.toBe(owner);

  // A second question after it, answered by the same owner: had a second reply to the first been on its way, the
  // owner's ordered batches would have stored it first.
  const later = writeMessage(survivor.doc, ada.id, 'and another one');
  (await llm.nextRequest()).answer('The end.');
  await waitFor(survivor.doc, () => repliesTo(survivor.doc, later.id).length > 0, 30_000, 'the second reply');
  const stored = await cluster.stored(docName);
  expect(repliesTo(survivor.doc, question.id)).toHaveLength(1);
  expect(repliesTo(stored, question.id)).toHaveLength(1);
  expect(repliesTo(stored, question.id)[0].text).toBe('Once upon a time, a relay died mid-sentence.');
  // The killed relay's request, the retry, the second question: nothing else reached the LLM.
  expect(llm.count).toBe(3);
}, 180_000);
