/** Push devices in a cluster: a device subscribed through one relay is known to another within the store's recheck time. */
import { expect, it } from 'vitest';
import { PostgresPushSubscriptionStore } from '../store/postgres/postgres-push-subscriptions.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { SubscriptionStore } from './subscription-store.js';

const postgres = useSchemaPerTest();

it('learns of a device another relay stored, and of its removal, within recheckMs', async () => {
  const here = await SubscriptionStore.open(new PostgresPushSubscriptionStore(postgres.pool(), 50), quietLogger);
  const there = await SubscriptionStore.open(new PostgresPushSubscriptionStore(postgres.otherPool(), 50), quietLogger);
  expect(here.hasDevicesNow('u1')).toBe(false);
  const subscription = { endpoint: 'https://push.example/d1', keys: { p256dh: 'p', auth: 'a' } };
  await there.put('u1', 's1', subscription, 5, 'en');
  expect(there.hasDevicesNow('u1')).toBe(true);
  const answers = async (expected: boolean) => {
    const deadline = Date.now() + 3000;
    while (here.hasDevicesNow('u1') !== expected) {
      if (Date.now() > deadline) throw new Error(`hasDevicesNow never became ${expected}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await answers(true);
  expect(await there.removeSession('u1', 's1')).toBe(1);
  await answers(false);
});
