/**
 * Regression (issue 20, item 9): a truncated newest `.log` used to start
 * with half of the recent messages gone and nothing in our log; a garbled
 * `.ldb` block made its conversations answer 1013 forever with no warning
 * at start. Now the check that runs at every start says so at error level,
 * naming the documents, and `npm run admin -- check` exits non-zero with a
 * report. Real stores in temp dirs, damaged while the server is stopped.
 */
import { spawn } from 'node:child_process';
import { open, readdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { Logger } from '../config.js';
import type { RunningServer } from '../server.js';
import { directConversation } from '../testing/direct-conversation.js';
import { startTestServer } from '../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';
import { Database } from './database.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MESSAGES = 300;

let dataDir = '';
let server: RunningServer | undefined;
let errors: string[] = [];
const capturing: Logger = { info() {}, warn() {}, error: (message, context) => errors.push(`${message} ${JSON.stringify(context ?? {})}`) };

beforeEach(async () => {
  dataDir = await makeTempDir();
  errors = [];
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeDir(dataDir);
});

/** A conversation with MESSAGES messages, each stored as its own log entry; the server is stopped after. */
async function storeWithConversation(): Promise<string> {
  const running = await startTestServer({ dataDir });
  const [alice, bob] = [await createUser(running, 'Alice'), await createUser(running, 'Bob')];
  const docName = convDocName(await directConversation(running, alice, bob));
  for (let i = 0; i < MESSAGES; i++) {
    await running.context.registry.change(docName, (doc) => {
      writeMessage(doc, alice.id, `message ${i} ${'words '.repeat(20)}`);
    });
  }
  await running.close();
  return docName;
}

async function newest(ext: string): Promise<string> {
  const dir = path.join(dataDir, 'db');
  const files = (await readdir(dir)).filter((file) => file.endsWith(ext)).sort();
  const last = files.at(-1);
  if (!last) throw new Error(`no ${ext} file in ${dir}`);
  return path.join(dir, last);
}

/** Overwrites `length` bytes of `file`, `fraction` of the way in, with a pattern no record has. */
async function garble(file: string, length: number, fraction: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    await handle.write(Buffer.alloc(length, 0xa5), 0, length, Math.floor(size * fraction));
  } finally {
    await handle.close();
  }
}

/** Stops the test server (the admin command opens the store itself) and runs `admin check`. */
async function adminCheckOnceStopped(): Promise<{ code: number | null; output: string }> {
  await server?.close();
  server = undefined;
  return adminCheck();
}

function adminCheck(): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', 'check'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

it('finds nothing wrong with an undamaged store', async () => {
  await storeWithConversation();
  server = await startTestServer({ dataDir, log: capturing });
  expect(await server.storeCheck).toMatchObject({ problems: [], notes: [], interrupted: false });
  expect(errors).toEqual([]);
  const admin = await adminCheckOnceStopped();
  expect(admin.output).toContain('no damage found');
  expect(admin.code).toBe(0);
});

it('reports a truncated newest .log, naming the conversation that lost messages', async () => {
  const docName = await storeWithConversation();
  const log = await newest('.log');
  await truncate(log, Math.floor((await stat(log)).size / 2));
  server = await startTestServer({ dataDir, log: capturing });
  const report = await server.storeCheck;
  expect(report?.problems).toContainEqual(expect.objectContaining({ doc: docName, problem: expect.stringContaining('acknowledged') }));
  expect(errors.join('\n')).toContain(docName);
  expect(errors.join('\n')).toContain('THE STORE IS DAMAGED');
  const admin = await adminCheckOnceStopped();
  expect(admin.output).toContain(`DAMAGED ${docName}`);
  expect(admin.code).toBe(1);
});

it('reports a garbled .ldb block at start, naming the conversation it holds', async () => {
  const docName = await storeWithConversation();
  // An open turns the log into a table (.ldb); the damage goes there.
  await (await Database.open(dataDir, { log: capturing })).close();
  const table = await newest('.ldb');
  await garble(table, 256, 1 / 3);
  server = await startTestServer({ dataDir, log: capturing });
  const report = await server.storeCheck;
  expect(report?.problems).toContainEqual(expect.objectContaining({ doc: docName }));
  expect(errors.join('\n')).toContain(docName);
  const admin = await adminCheckOnceStopped();
  expect(admin.output).toContain(`DAMAGED ${docName}`);
  expect(admin.code).toBe(1);
});

it('reports log records LevelDB dropped as unreadable at open (a garbled .log)', async () => {
  const docName = await storeWithConversation();
  const log = await newest('.log');
  await garble(log, 64, 1 / 2);
  server = await startTestServer({ dataDir, log: capturing });
  const report = await server.storeCheck;
  expect(report?.problems).toContainEqual(expect.objectContaining({ area: 'leveldb', problem: expect.stringContaining('dropping') }));
  expect(report?.problems).toContainEqual(expect.objectContaining({ doc: docName }));
  expect(errors.join('\n')).toContain('THE STORE IS DAMAGED');
});
