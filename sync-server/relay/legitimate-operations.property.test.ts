/**
 * Property: whatever legitimate operations the members of a group perform
 * (messages, edits, deletes, read markers, reactions) on two devices each,
 * going offline and back online in between, the relay refuses none of them
 * and every replica ends up the same, every message numbered once.
 */
import fc from 'fast-check';
import { beforeEach, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, reactionKey, reactionsOf, readsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage } from '../../shared/testing/text-message.js';
import { openRawSession } from '../testing/raw-session.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { closeCodesOf, openDoc, type SyncedClient, whenSynced } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';

const DEVICES_PER_PERSON = 2;
const EMOJI = ['👍', '❤️', '😂', '🎉'];

type Op =
  | { kind: 'send'; device: number; text: string }
  | { kind: 'edit'; device: number; pick: number; text: string }
  | { kind: 'delete'; device: number; pick: number }
  | { kind: 'read'; device: number }
  | { kind: 'react'; device: number; pick: number; emoji: string }
  | { kind: 'unreact'; device: number; pick: number }
  | { kind: 'toggle-online'; device: number }
  | { kind: 'pause'; ms: number };

const test = useTestServer();
let people: TestUser[];

beforeEach(async () => {
  people = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Ben'), await createUser(test.server, 'Cat')];
  for (const friend of people.slice(1)) await befriend(test.server, people[0], friend);
});

const deviceCount = () => people.length * DEVICES_PER_PERSON;

function opArbitrary(): fc.Arbitrary<Op> {
  const device = fc.nat({ max: 3 * DEVICES_PER_PERSON - 1 });
  const text = fc.string({ unit: 'grapheme', maxLength: 30 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), device, text }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), device, pick: fc.nat(), text }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), device, pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), device }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('react' as const), device, pick: fc.nat(), emoji: fc.constantFrom(...EMOJI) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('unreact' as const), device, pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('toggle-online' as const), device }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 1, max: 30 }) }) },
  );
}

interface Device {
  person: TestUser;
  client: SyncedClient;
  online: boolean;
  closeCodes: number[];
}

/** Applies one operation the way the app would, with what this device currently sees. */
async function perform(op: Op, devices: Device[]): Promise<void> {
  // Time passing between one person's actions is part of the scenario: what is in flight meanwhile varies.
  if (op.kind === 'pause') return void (await new Promise((resolve) => setTimeout(resolve, op.ms)));
  const device = devices[op.device % devices.length];
  const { doc, provider } = device.client;
  const me = device.person.id;
  const messages = messagesOf(doc);
  const mine = [...messages.values()].filter((m) => m.author === me && !m.deleted);
  const pick = <T>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
  switch (op.kind) {
    case 'send': {
      const message = textMessage(me, op.text);
      messages.set(message.id, message);
      return;
    }
    case 'edit': {
      const target = pick(mine, op.pick);
      if (target) messages.set(target.id, { ...target, text: op.text, editedAt: Date.now() });
      return;
    }
    case 'delete': {
      const target = pick(mine, op.pick);
      if (target) messages.set(target.id, { ...target, text: '', attachments: undefined, deleted: true, editedAt: Date.now() });
      return;
    }
    case 'read': {
      const highest = Math.max(0, ...seqIndexOf(doc).values());
      if (highest > (readsOf(doc).get(me) ?? 0)) readsOf(doc).set(me, highest);
      return;
    }
    case 'react': {
      const target = pick([...messages.keys()], op.pick);
      if (target) reactionsOf(doc).set(reactionKey(target, op.emoji, me), true);
      return;
    }
    case 'unreact': {
      const own = [...reactionsOf(doc).keys()].filter((key) => key.endsWith(` ${me}`));
      const target = pick(own, op.pick);
      if (target) reactionsOf(doc).delete(target);
      return;
    }
    case 'toggle-online':
      if (device.online) provider.disconnect();
      else provider.connect();
      device.online = !device.online;
      return;
  }
}

/** What every replica must agree on. */
function snapshot(doc: Y.Doc): string {
  const sorted = <T>(map: { entries(): Iterable<[string, T]> }) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sorted(messagesOf(doc)), sorted(seqIndexOf(doc)), sorted(readsOf(doc)), sorted(reactionsOf(doc))]);
}

/**
 * Resolves when every message is numbered and every device holds what the
 * relay holds, checking on each update of any replica; a copy of the relay's
 * document stays open meanwhile and follows it.
 */
async function converged(devices: Device[], docName: string, timeoutMs = 20_000): Promise<void> {
  const relay = await openRawSession(test.server, people[0], docName);
  try {
    await relay.synced;
    const allNumbered = () => [...messagesOf(relay.doc).keys()].every((id) => seqIndexOf(relay.doc).has(id));
    const agreed = () => allNumbered() && devices.every((d) => snapshot(d.client.doc) === snapshot(relay.doc));
    const replicas = [relay.doc, ...devices.map((d) => d.client.doc)];
    await waitFor(replicas, agreed, timeoutMs, 'every replica to converge').catch((error: unknown) => {
      expect(devices.map((d) => snapshot(d.client.doc))).toEqual(devices.map(() => snapshot(relay.doc)));
      expect(allNumbered(), 'every message numbered').toBe(true);
      throw error;
    });
  } finally {
    relay.close();
  }
}

it('never refuses legitimate operations, and every replica converges', { timeout: 120_000 }, async () => {
  let written = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArbitrary(), { minLength: 10, maxLength: 60 }), async (ops) => {
      const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
        cookie: people[0].cookie,
        body: { kind: 'group', title: 'Property', memberIds: people.slice(1).map((p) => p.id) },
      });
      expect(created.status).toBe(201);
      const docName = convDocName(created.body.id);
      const devices: Device[] = Array.from({ length: deviceCount() }, (_, i) => {
        const person = people[i % people.length];
        const client = openDoc(test.server, person, docName);
        return { person, client, online: true, closeCodes: closeCodesOf(client) };
      });
      try {
        await Promise.all(devices.map((d) => whenSynced(d.client)));
        for (const op of ops) await perform(op, devices);
        for (const device of devices) if (!device.online) device.client.provider.connect();
        await converged(devices, docName);
        written += messagesOf(devices[0].client.doc).size;
        const refusals = devices
          .flatMap((d) => d.closeCodes)
          .filter((code) => code === CloseCode.invalidUpdate || code === CloseCode.rateLimited);
        expect(refusals).toEqual([]);
      } finally {
        for (const device of devices) device.client.destroy();
      }
    }),
    { numRuns: 30, endOnFailure: true },
  );
  expect(written).toBeGreaterThan(30);
});
