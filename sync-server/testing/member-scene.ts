/**
 * The scene of the relay's trust tests: Alice and Mallory are members of one
 * direct conversation; Alice has a replica open through the stock provider
 * and one delivered message. Mallory attacks through raw sessions. Every
 * client the scene opens is closed by `destroy`.
 */
import { afterEach, beforeEach } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import type { Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { ServerConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import { openRawSession, type RawSession } from './raw-session.js';
import { directConversation } from './direct-conversation.js';
import { openDoc, type SyncedClient } from './synced-client.js';
import { createUser, type TestUser } from './test-users.js';
import { waitFor } from './wait-for.js';
import { useTestServer } from './use-test-server.js';

export interface MemberScene {
  readonly server: RunningServer;
  alice: TestUser;
  mallory: TestUser;
  docName: string;
  /** Alice's replica, open for the whole test: it must never see an attack. */
  aliceReplica: SyncedClient;
  /** A message of Alice's, stored and numbered. */
  aliceMessage: Message;
  open(user: TestUser, doc?: Y.Doc): SyncedClient;
  raw(user: TestUser, doc?: Y.Doc): Promise<RawSession>;
  destroy(): void;
}

/** Sets the scene up on the server `serverNow()` returns (read again for every client, so a restart is followed). */
async function memberScene(serverNow: () => RunningServer): Promise<MemberScene> {
  const server = serverNow();
  const [alice, mallory] = [await createUser(server, 'Alice'), await createUser(server, 'Mallory')];
  const docName = convDocName(await directConversation(server, alice, mallory));
  const clients: SyncedClient[] = [];
  const sessions: RawSession[] = [];
  const open = (user: TestUser, doc = new Y.Doc()) => {
    const client = openDoc(serverNow(), user, docName, doc);
    clients.push(client);
    return client;
  };
  const aliceReplica = open(alice);
  const aliceMessage = writeMessage(aliceReplica.doc, alice.id, 'hello from Alice');
  await waitFor(aliceReplica.doc, () => seqIndexOf(aliceReplica.doc).has(aliceMessage.id), 10_000, "Alice's message delivered");
  return {
    get server() {
      return serverNow();
    },
    alice,
    mallory,
    docName,
    aliceReplica,
    aliceMessage,
    open,
    async raw(user, doc) {
      const session = await openRawSession(serverNow(), user, docName, doc);
      sessions.push(session);
      await session.synced;
      return session;
    },
    destroy() {
      for (const session of sessions.splice(0)) session.close();
      for (const client of clients.splice(0)) client.destroy();
    },
  };
}

/** The scene of every test in a file (or `describe`), with its own server. */
export interface MemberSceneFixture extends MemberScene {
  readonly dataDir: string;
  /**
   * Closes every client the scene opened (Alice's replica too), stops the
   * server and starts a new one on the same DATA_DIR; `open` and `raw`
   * then reach the new server.
   */
  restart(overrides?: Partial<ServerConfig>): Promise<void>;
}

/**
 * A fresh server (`useTestServer`) and scene for every test, torn down after
 * it. Call at the top of a test file or `describe`: it registers vitest hooks.
 */
export function useMemberScene(overrides: Partial<ServerConfig> = {}): MemberSceneFixture {
  const test = useTestServer(overrides);
  let current: MemberScene | undefined;
  beforeEach(async () => {
    current = await memberScene(() => test.server);
  });
  // Registered after the server's hooks, so it runs before the server stops.
  afterEach(() => {
    current?.destroy();
    current = undefined;
  });
  const scene = (): MemberScene => {
    if (!current) throw new Error('the member scene exists only while a test runs');
    return current;
  };
  return {
    get server() {
      return test.server;
    },
    get dataDir() {
      return test.dataDir;
    },
    get alice() {
      return scene().alice;
    },
    get mallory() {
      return scene().mallory;
    },
    get docName() {
      return scene().docName;
    },
    get aliceReplica() {
      return scene().aliceReplica;
    },
    get aliceMessage() {
      return scene().aliceMessage;
    },
    open: (user, doc) => scene().open(user, doc),
    raw: (user, doc) => scene().raw(user, doc),
    destroy: () => scene().destroy(),
    async restart(restartOverrides) {
      scene().destroy();
      await test.restart(restartOverrides);
    },
  };
}

/** Resolves when a fresh replica of `user` has synced: what the relay would give anyone joining now. */
export async function freshCopy(scene: MemberScene, user: TestUser = scene.alice): Promise<Y.Doc> {
  const session = await scene.raw(user);
  session.close();
  return session.doc;
}
