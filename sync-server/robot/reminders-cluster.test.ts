/**
 * Reminders with two relays on one PostgreSQL (store/postgres/postgres-reminders.ts):
 * each due reminder is delivered by exactly one of them, and a reminder
 * added by a relay that then stops is delivered by the other.
 */
import { afterEach, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { messagesOf } from '../../shared/schema.js';
import { DocRegistry } from '../relay/doc-registry.js';
import { MemoryDocumentLog } from '../store/memory-document-log.js';
import { PostgresReminderStore } from '../store/postgres/postgres-reminders.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { ReminderScheduler } from './reminders.js';
import { LocalCommands } from '../commands/local-commands.js';

const postgres = useSchemaPerTest();
const running: Array<{ scheduler: ReminderScheduler; registry: DocRegistry }> = [];

/** A relay's part in this: its own documents (in memory) and a scheduler over the shared reminders. */
function relay(pool: 'first' | 'second'): { scheduler: ReminderScheduler; registry: DocRegistry } {
  const registry = new DocRegistry({ store: new MemoryDocumentLog(), unloadGraceMs: 60_000, compactThreshold: 500, log: quietLogger });
  const store = new PostgresReminderStore(pool === 'first' ? postgres.pool() : postgres.otherPool(), 100);
  const scheduler = new ReminderScheduler(store, new LocalCommands(registry), quietLogger);
  running.push({ scheduler, registry });
  return { scheduler, registry };
}

afterEach(async () => {
  for (const { scheduler, registry } of running.splice(0)) {
    await scheduler.stop();
    await registry.closeAll();
  }
});

async function textsIn(registry: DocRegistry, conversationId: string): Promise<string[]> {
  const room = await registry.acquire(convDocName(conversationId));
  try {
    return [...messagesOf(room.doc).values()].map((message) => message.text);
  } finally {
    registry.release(room);
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('delivers each of 40 reminders due at once on exactly one of two relays', async () => {
  const [a, b] = [relay('first'), relay('second')];
  const due = Date.now() + 300;
  for (let i = 0; i < 40; i++) await (i % 2 ? a : b).scheduler.add(`c${i}`, 'u1', `reminder ${i}`, due);
  a.scheduler.start();
  b.scheduler.start();
  await until(async () => (await postgres.pool().query('SELECT 1 FROM reminders')).rowCount === 0, 'every reminder delivered');
  for (let i = 0; i < 40; i++) {
    const texts = [...(await textsIn(a.registry, `c${i}`)), ...(await textsIn(b.registry, `c${i}`))];
    expect(texts, `c${i}`).toEqual([`reminder ${i}`]);
  }
});

it('delivers a reminder on the other relay when the one that took it stopped before it was due', async () => {
  const [a, b] = [relay('first'), relay('second')];
  b.scheduler.start();
  await a.scheduler.add('c1', 'u1', 'stretch', Date.now() + 200);
  await a.scheduler.stop();
  // b was never told of the add: it finds the reminder by looking again (recheckMs).
  await until(async () => (await textsIn(b.registry, 'c1')).includes('stretch'), 'the reminder on the other relay');
  expect(await textsIn(a.registry, 'c1')).toEqual([]);
});
