/** Documents load once, are shared, and unload after their last user leaves. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { userDocName } from '../../shared/doc-names.js';
import type { RunningServer } from '../server.js';
import { createUser, makeTempDir, openDoc, removeDir, startTestServer, waitFor } from '../testing/server-fixture.js';

let dataDir: string;
let server: RunningServer;

beforeEach(async () => {
  dataDir = await makeTempDir();
  server = await startTestServer({ dataDir, docUnloadGraceMs: 100 });
});

afterEach(async () => {
  await server.close();
  await removeDir(dataDir);
});

it('shares one loaded document between connections and unloads it when the last leaves', async () => {
  const alice = await createUser(server, 'Alice');
  const registry = server.context.registry;
  const docName = userDocName(alice.id);
  const unloaded = new Promise<string>((resolve) => registry.onUnload((name) => name === docName && resolve(name)));

  const tabs = [openDoc(server, alice, docName), openDoc(server, alice, docName)];
  for (const tab of tabs) await waitFor(tab.doc, () => tab.doc.getMap('profile').get('name') === 'Alice', 10_000, 'profile');
  expect(server.context.relay.connectionCount).toBe(2);
  expect(registry.isLoaded(docName)).toBe(true);

  for (const tab of tabs) tab.destroy();
  expect(await unloaded).toBe(docName);
  expect(registry.isLoaded(docName)).toBe(false);
});
