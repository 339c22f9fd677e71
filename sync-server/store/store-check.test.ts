/**
 * Regression (issue 20, item 9): a truncated newest `.log` used to start
 * with half of the recent messages gone and nothing in our log; a garbled
 * `.ldb` block made its conversations answer 1013 forever with no warning
 * at start. Now the check that runs at every start says so at error level,
 * naming the documents, and `npm run admin -- check` exits non-zero with a
 * report. Real stores in temp dirs, damaged while the server is stopped.
 */
import { spawn } from 'node:child_process';
import { open, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
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
import { logRange } from './keys.js';

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

/**
 * Garbles a block of `table` that holds `docName`'s log. Where the conversation lies in the table
 * depends on the random ids and the other sublevels beside it, so a fixed fraction of the file sometimes
 * hit only other documents (CI, stop 24); this tries places until a read of the conversation fails.
 */
async function garbleTheConversation(table: string, docName: string): Promise<void> {
  const original = await readFile(table);
  for (let twentieth = 1; twentieth < 20; twentieth++) {
    await garble(table, 256, twentieth / 20);
    if (await conversationUnreadable(docName)) return;
    await writeFile(table, original);
  }
  throw new Error(`no place in ${table} garbled ${docName}`);
}

async function conversationUnreadable(docName: string): Promise<boolean> {
  const db = await Database.open(dataDir, { log: capturing });
  try {
    for await (const _ of db.docs.iterator(logRange(docName))) {
      // reading is the check
    }
    return false;
  } catch {
    return true;
  } finally {
    await db.close();
  }
}

/** Where `text` first appears in `file` (it must). */
async function offsetOf(file: string, text: string): Promise<number> {
  const offset = (await readFile(file)).indexOf(text);
  if (offset < 0) throw new Error(`${text} is not in ${file}`);
  return offset;
}

/** Overwrites `length` bytes of `file` at `offset` with a pattern no record has. */
async function garbleAt(file: string, length: number, offset: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.alloc(length, 0xa5), 0, length, offset);
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
  // Inside the conversation's own records: the log also holds others (search index, heads), and half the
  // file can lie past all of the conversation's messages when those land late (it did on a busy machine).
  await truncate(log, await offsetOf(log, `message ${MESSAGES / 2} `));
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
  await garbleTheConversation(await newest('.ldb'), docName);
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
  // Inside a record of the conversation's own log: the .log also holds other records (search index, heads),
  // and damage halfway through the file could miss the conversation altogether.
  await garbleAt(log, 64, await offsetOf(log, `message ${MESSAGES / 2} `));
  server = await startTestServer({ dataDir, log: capturing });
  const report = await server.storeCheck;
  expect(report?.problems).toContainEqual(expect.objectContaining({ area: 'leveldb', problem: expect.stringContaining('dropping') }));
  expect(report?.problems).toContainEqual(expect.objectContaining({ doc: docName }));
  expect(errors.join('\n')).toContain('THE STORE IS DAMAGED');
});
