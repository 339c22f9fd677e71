/** Documents load once, are shared, and unload after their last user leaves. */
import { expect, it } from 'vitest';
import { userDocName } from '../../shared/doc-names.js';
import { openDoc } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer({ docUnloadGraceMs: 100 });

it('shares one loaded document between connections and unloads it when the last leaves', async () => {
  const alice = await createUser(test.server, 'Alice');
  const registry = test.server.context.registry;
  const docName = userDocName(alice.id);

  const tabs = [openDoc(test.server, alice, docName), openDoc(test.server, alice, docName)];
  for (const tab of tabs) await waitFor(tab.doc, () => tab.doc.getMap('profile').get('name') === 'Alice', 10_000, 'profile');
  expect(test.server.context.relay.connectionCount).toBe(2);
  expect(registry.isLoaded(docName)).toBe(true);

  // Listen only now: signing up changed this document too, and the unload
  // that followed that change may come while the tabs are still connecting.
  const unloaded = new Promise<string>((resolve) => registry.onUnload((name) => name === docName && resolve(name)));

  for (const tab of tabs) tab.destroy();
  expect(await unloaded).toBe(docName);
  expect(registry.isLoaded(docName)).toBe(false);
});
