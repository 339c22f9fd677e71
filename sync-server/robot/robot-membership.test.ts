/**
 * The robot asks the account store whether it belongs to each conversation
 * that loads. When the store cannot answer (here: closed under it, as at
 * shutdown), the failure is logged with the conversation and the document
 * stays usable; it used to be an unhandled rejection.
 */
import { afterEach, expect, it } from 'vitest';
import type { Logger } from '../config.js';
import { MemoryRateLimiter } from '../limiting/fixed-window-limiter.js';
import { DocRegistry } from '../relay/doc-registry.js';
import { LevelConversationStore } from '../store/level-conversations.js';
import { LevelReminderStore } from '../store/level-reminders.js';
import { Database } from '../store/database.js';
import { MemoryDocumentLog } from '../store/memory-document-log.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { BuiltinResponder } from './builtin-responder.js';
import { ReminderScheduler } from './reminders.js';
import { RobotParticipant } from './robot-participant.js';
import { LocalCommands } from '../commands/local-commands.js';

let dataDir = '';
afterEach(() => removeDir(dataDir));

it('logs, with the conversation, that it could not learn whether it is a member, and the document stays usable', async () => {
  dataDir = await makeTempDir();
  const db = await Database.open(dataDir);
  let logged: (context: Record<string, unknown> | undefined) => void = () => {};
  const errorLogged = new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
    logged = resolve;
    setTimeout(() => reject(new Error('no error was logged')), 5_000).unref();
  });
  const log: Logger = { ...quietLogger, error: (_message, context) => logged(context) };
  const registry = new DocRegistry({ store: new MemoryDocumentLog(), unloadGraceMs: 10, compactThreshold: 500, log });
  const commands = new LocalCommands(registry);
  const robot = new RobotParticipant(
    registry,
    commands,
    new LevelConversationStore(db),
    new BuiltinResponder(),
    new ReminderScheduler(new LevelReminderStore(db), commands, log),
    log,
    { replies: new MemoryRateLimiter({ limit: 10, windowMs: 60_000 }) },
  );
  registry.useParticipants([robot]);
  await db.close();

  const room = await registry.acquire('conv/c');
  expect(await errorLogged).toMatchObject({ conversation: 'c', error: expect.stringContaining('not open') });
  await room.serverChange((doc) => doc.getMap('m').set('still', 'usable'));
  registry.release(room);
  await registry.closeAll();
});
