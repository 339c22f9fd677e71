/**
 * Push decides only about stored messages: the notifier is told what a
 * batch numbered after the batch is stored (the `afterStore` hook), never
 * while the message is only in the room's memory. A message whose store
 * failed is gone (its writer hands it over again), so nobody may have been
 * pushed about it. The room is the harness's (testing/room-harness.ts), with
 * a log whose append the test holds and lets through or fails; the notifier
 * is the real server's, with its stores.
 */
import { expect, it } from 'vitest';
import { metaOf, type MemberInfo } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { GatedDocumentLog, RoomHarness } from '../testing/room-harness.js';
import { useTestServer } from '../testing/use-test-server.js';
import type { PushDecision } from './push-notifier.js';

const test = useTestServer();

/** A conversation of Alice and Bob on a held log; Bob wants the mail digest, so each message by Alice is decided for him. */
async function scene() {
  const { notifier, preferences } = test.server.context.push;
  await preferences.change('bob', { digestAfterMinutes: 60 }, 'en');
  const log = new GatedDocumentLog();
  const harness = await RoomHarness.open({ docName: 'conv/after-store', store: log, participants: [notifier] });
  const members: Record<string, MemberInfo> = { alice: { name: 'Alice', role: 'member' }, bob: { name: 'Bob', role: 'member' } };
  await harness.room.serverChange((doc) => metaOf(doc).set('members', members));
  const decisions: PushDecision[] = [];
  notifier.onDecision((decision) => void decisions.push(decision));
  return { notifier, log, harness, decisions, alice: harness.connect('alice') };
}

it('decides no push while the message waits to be stored, and decides it once it is stored', async () => {
  const { notifier, log, harness, decisions, alice } = await scene();
  log.hold();
  let id = '';
  alice.change((doc) => (id = writeMessage(doc, 'alice', 'are you there?').id));
  await log.appendWaiting();
  await notifier.idle();
  expect(decisions).toEqual([]);

  log.release();
  await harness.room.flushed();
  await notifier.idle();
  expect(decisions).toEqual([{ userId: 'bob', conversationId: 'after-store', messageId: id, outcome: 'no-devices' }]);
  harness.destroy();
});

it('decides no push for a message whose store failed', async () => {
  const { notifier, log, harness, decisions, alice } = await scene();
  log.hold();
  alice.change((doc) => writeMessage(doc, 'alice', 'lost on a full disk'));
  await log.appendWaiting();
  log.fail();
  await harness.room.flushed();
  expect(harness.failures).toEqual([harness.room]);
  harness.destroy();
  await notifier.idle();
  expect(decisions).toEqual([]);
});
