/**
 * Issue 11, test 7 (reminders), with three relay processes: 100 reminders
 * due at once, and the relay owning their conversation SIGKILLed while they
 * are being delivered. Each is delivered exactly once: a claim left by the
 * dead relay ends after 30 s and another relay takes it over, and a reminder
 * delivered twice would be one message anyway (its id is made from the
 * reminder's), which the test checks by counting texts.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type * as Y from 'yjs';
import { convDocName } from '../../../shared/doc-names.js';
import { ROBOT_USER_ID } from '../../../shared/robot.js';
import { messagesOf } from '../../../shared/schema.js';
import { generateId } from '../../ids/random-ids.js';
import { robotConversationId } from '../../robot/robot-account.js';
import { useRelayCluster } from '../../testing/relay-cluster.js';
import { whenSynced } from '../../testing/synced-client.js';
import { createUser } from '../../testing/test-users.js';
import { waitFor } from '../../testing/wait-for.js';

const cluster = useRelayCluster();
const COUNT = 100;

/** How many times each reminder's text appears as a robot message. */
function deliveries(doc: Y.Doc, prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messagesOf(doc).values())
    if (message.author === ROBOT_USER_ID && message.text.startsWith(prefix)) counts.set(message.text, (counts.get(message.text) ?? 0) + 1);
  return counts;
}

it(`delivers each of ${COUNT} reminders due at once over three relays exactly once, with the owner SIGKILLed mid-delivery`, async () => {
  const relays = await cluster.start(3);
  const ada = await createUser(relays[0], 'Ada');
  const conversationId = robotConversationId(ada.id);
  const docName = convDocName(conversationId);
  const clients = [cluster.open(relays[1], ada, docName), cluster.open(relays[2], ada, docName)];
  await Promise.all(clients.map(whenSynced));
  const owner = await cluster.waitForOwner(docName);
  const survivor = clients.find((_, i) => relays[i + 1] !== owner) ?? clients[0];

  // Written straight into the shared table, as a relay's `add` would, all due in a second.
  const prefix = `reminder ${randomBytes(3).toString('hex')}`;
  const dueAt = Date.now() + 1000;
  for (let i = 0; i < COUNT; i++)
    await cluster.database.query('INSERT INTO reminders (id, conversation_id, user_id, text, due_at) VALUES ($1, $2, $3, $4, $5)', [
      // Random like the store's own ids (a reminder's message id is made from a hash of its whole id, reminder-message-id.test.ts).
      generateId(),
      conversationId,
      ada.id,
      `${prefix} #${i}`,
      dueAt,
    ]);
  // Relays look for due reminders every 10 s; the first delivery starts the kill.
  await waitFor(survivor.doc, () => deliveries(survivor.doc, prefix).size > 0, 30_000, 'a first reminder');
  await owner.kill();

  await waitFor(survivor.doc, () => deliveries(survivor.doc, prefix).size === COUNT, 90_000, `all ${COUNT} reminders`);
  // Every reminder is forgotten once delivered; those the dead relay held are delivered again by another once its claims
  // end (30 s), as the same message. Polled, bounded: the table is the only place this shows.
  const deadline = Date.now() + 90_000;
  let left = COUNT;
  for (let round = 0; round < 1000 && left > 0 && Date.now() < deadline; round++) {
    left = (await cluster.database.query<{ left: number }>('SELECT count(*)::int AS left FROM reminders')).rows[0].left;
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(left).toBe(0);
  const stored = await cluster.stored(docName);
  for (const doc of [survivor.doc, stored]) {
    const counts = deliveries(doc, prefix);
    expect(counts.size).toBe(COUNT);
    expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
  }
}, 240_000);
