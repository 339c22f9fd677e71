/**
 * Notification choices shared by the relays of a cluster (docs/SCALING.md,
 * "State in PostgreSQL"): two real servers on one PostgreSQL schema, each
 * with its own DATA_DIR, as two relays. A mute set through relay 1 holds
 * for a message stored on relay 2, which owns the conversation: it used to
 * be kept in relay 1's LevelDB only, so relay 2 pushed. Pushes go to the
 * loopback push service stand-in (testing/push-service-stand-in.ts).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import type { PushPayload } from '../../shared/push-payload.js';
import type { PushSettings } from '../../shared/push-api.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { loadConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { nextPushDecision } from '../testing/push-decisions.js';
import { startPushServiceStandIn, type PushServiceStandIn } from '../testing/push-service-stand-in.js';
import { startTestServer } from '../testing/start-test-server.js';
import { openDoc, type SyncedClient, whenSynced } from '../testing/synced-client.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';
import { useTestSchema } from '../testing/use-test-schema.js';

const postgres = useTestSchema();
let standIn: PushServiceStandIn;
let relays: RunningServer[] = [];
const dirs: string[] = [];
const clients: SyncedClient[] = [];

beforeAll(async () => {
  standIn = await startPushServiceStandIn();
  for (let i = 0; i < 2; i++) {
    const dataDir = await makeTempDir();
    dirs.push(dataDir);
    const push = { ...loadConfig({}).push, serviceHosts: [standIn.origin], throttleMs: 0, extraCaFile: standIn.caFile };
    relays.push(await startTestServer({ dataDir, postgres: postgres.config, push }));
  }
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  for (const relay of relays) await relay.close();
  relays = [];
  for (const dir of dirs) await removeDir(dir);
  await standIn.close();
});

it('a conversation muted through relay 1 gets no push for a message stored on relay 2', async () => {
  const [relay1, relay2] = relays;
  // Everything but the mute goes through relay 2, so it owns the conversation and its devices are known there at once.
  const alice = await createUser(relay2, 'Alice');
  const bob = await createUser(relay2, 'Bob');
  const conversationId = await directConversation(relay2, alice, bob);
  const device = standIn.subscribe();
  expect((await api(relay2, 'POST', '/api/push/subscriptions', { cookie: bob.cookie, body: device })).status).toBe(201);
  const aliceClient = openDoc(relay2, alice, convDocName(conversationId));
  clients.push(aliceClient);
  await whenSynced(aliceClient);

  // Not muted yet: relay 2 pushes (so the muted outcome below is the mute's doing).
  const first = nextPushDecision(relay2, { userId: bob.id, conversationId });
  writeMessage(aliceClient.doc, alice.id, 'before the mute');
  expect(await first).toMatchObject({ outcome: 'sent' });
  expect(((await standIn.nextPush(device.endpoint)).payload as PushPayload).body).toBe('before the mute');

  const muted = await api(relay1, 'PUT', `/api/conversations/${conversationId}/mute`, { cookie: bob.cookie, body: { muted: true } });
  expect(muted).toMatchObject({ status: 200, body: { muted: true } });
  // Relay 2 lists the mute set through relay 1.
  const settings = await api<PushSettings>(relay2, 'GET', '/api/push/settings', { cookie: bob.cookie });
  expect(settings.body.muted).toEqual([conversationId]);

  const second = nextPushDecision(relay2, { userId: bob.id, conversationId });
  writeMessage(aliceClient.doc, alice.id, 'after the mute');
  expect(await second).toMatchObject({ outcome: 'muted' });
  // Every push started is answered once idle: one sent now would already be at the stand-in.
  await relay2.context.push.notifier.idle();
  await expect(standIn.nextPush(device.endpoint, 50)).rejects.toThrow();
  expect(standIn.refused).toEqual([]);
  // The conversation's owner (relay 2) counted Bob's badge in the shared table, not in its LevelDB.
  const { rows } = await postgres.pool.query('SELECT count FROM push_badge_counts WHERE user_id = $1', [bob.id]);
  expect(rows).toEqual([{ count: 1 }]);
});
