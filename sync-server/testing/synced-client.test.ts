/**
 * The stock-provider test clients (synced-client.ts) hold no process
 * listener each: a cluster test keeps more than ten open at once in one
 * process, which printed MaxListenersExceededWarning ('exit' on process).
 */
import { expect, it } from 'vitest';
import { userDocName } from '../../shared/doc-names.js';
import { whenSynced } from './synced-client.js';
import { createUser } from './test-users.js';
import { useTestServer } from './use-test-server.js';

const test = useTestServer();

it('opens a dozen clients at once in one process without adding a process exit listener', async () => {
  const ada = await createUser(test.server, 'Ada');
  const before = process.listenerCount('exit');
  const clients = Array.from({ length: 12 }, () => test.open(ada, userDocName(ada.id)));
  await Promise.all(clients.map((client) => whenSynced(client)));
  expect(process.listenerCount('exit')).toBe(before);
});
