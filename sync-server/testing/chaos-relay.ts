/**
 * The stage the chaos tests share: a relay in a child process (so it can be
 * SIGKILLed) on a temp data dir, a proxy in front of it that cuts connections
 * at random, and a seeded scene of two people in a direct conversation. Each
 * test brings its own devices and its own verdict. Call `useChaosRelay` at the
 * top of a test file (it registers vitest hooks).
 */
import { afterAll, beforeAll } from 'vitest';
import { ChildServer, freePort } from './child-server.js';
import { directConversation } from './direct-conversation.js';
import { FlakyProxy } from './flaky-proxy.js';
import { seededRandom } from './seeded-random.js';
import type { ServerAddress } from './server-address.js';
import { makeTempDir, removeDir } from './temp-dir.js';
import { createUser, type TestUser } from './test-users.js';

/** Paces the load generator (how fast people type, how often the network breaks): time passing is the scenario. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChaosScene {
  /** From CHAOS_SEED when set, so a failed run can be replayed; printed by the tests. */
  readonly seed: number;
  readonly random: () => number;
  /** The relay itself, not through the proxy. */
  readonly address: ServerAddress;
  /** The flaky proxy in front of the relay: where the devices connect. */
  readonly proxyAddress: ServerAddress;
  /** Alice and Bob, friends. */
  readonly people: [TestUser, TestUser];
  readonly conversationId: string;
}

export interface ChaosRelay {
  readonly server: ChildServer;
  readonly proxy: FlakyProxy;
  /** Registers a device to be destroyed after the file's tests, before the relay goes. */
  track<T extends { destroy(): void }>(device: T): T;
  /** Seed, people and their conversation (call inside the test). */
  scene(): Promise<ChaosScene>;
  /** Cuts a random connection every 50-250 ms until the returned stop is called (it resolves once the cutting has stopped). */
  cutAtRandom(random: () => number): () => Promise<void>;
}

export function useChaosRelay(tempDirPrefix: string, env: NodeJS.ProcessEnv = {}): ChaosRelay {
  let dataDir = '';
  let server: ChildServer | undefined;
  let proxy: FlakyProxy | undefined;
  const devices: { destroy(): void }[] = [];

  beforeAll(async () => {
    dataDir = await makeTempDir(tempDirPrefix);
    server = new ChildServer(await freePort(), dataDir, env);
    await server.start();
    proxy = new FlakyProxy(server.port);
  });

  afterAll(async () => {
    for (const device of devices) device.destroy();
    await proxy?.close();
    await server?.kill();
    await removeDir(dataDir);
  });

  const running = <T>(part: T | undefined): T => {
    if (!part) throw new Error('the chaos relay runs only inside the test file');
    return part;
  };

  return {
    get server() {
      return running(server);
    },
    get proxy() {
      return running(proxy);
    },
    track(device) {
      devices.push(device);
      return device;
    },
    async scene() {
      const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
      const address = { url: running(server).url, dataDir };
      const people: [TestUser, TestUser] = [await createUser(address, 'Alice'), await createUser(address, 'Bob')];
      const conversationId = await directConversation(address, people[0], people[1]);
      const proxyAddress = { url: `http://127.0.0.1:${await running(proxy).listen()}`, dataDir };
      return { seed, random: seededRandom(seed), address, proxyAddress, people, conversationId };
    },
    cutAtRandom(random) {
      let cutting = true;
      const cutter = (async () => {
        while (cutting) {
          await pause(50 + random() * 200);
          running(proxy).cutRandom(random);
        }
      })();
      return () => {
        cutting = false;
        return cutter;
      };
    },
  };
}
