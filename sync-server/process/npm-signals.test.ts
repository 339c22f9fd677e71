/**
 * Regression (issue 20, item 10): `kill -TERM <npm pid>` used to end npm and
 * its shell while tsx and the server kept running as orphans, holding the
 * port and the DATA_DIR lock. A supervisor signals the process it started,
 * so SIGTERM to `npm run serve` must stop the server itself, cleanly.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { Level } from 'level';
import { freePort } from '../testing/child-server.js';
import WebSocket from 'ws';
import { userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { closeCodeOf } from '../testing/raw-socket.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Far above a normal stop (well under a second); a hung or orphaned server misses it. */
const STOP_BOUND_MS = 10_000;

let dataDir = '';
afterEach(async () => {
  if (dataDir) await removeDir(dataDir);
});

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

it('stops the server when the npm process it runs under gets SIGTERM', async () => {
  dataDir = await makeTempDir();
  const port = await freePort();
  const npm = spawn('npm', ['run', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  try {
    // The server says it listens once the store is open and the port bound.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 30_000);
      const onData = (): void => {
        if (!output.includes('listening on')) return;
        clearTimeout(timer);
        resolve();
      };
      npm.stdout.on('data', onData);
      npm.once('exit', () => reject(new Error(`npm exited before the server listened: ${output}`)));
    });
    const address = { url: `http://127.0.0.1:${port}`, dataDir };
    expect((await fetch(`${address.url}/api/health`)).status).toBe(200);
    // A signed-in person with a document open must be told the server is going away (1001), not cut off.
    const person = await createUser(address, 'Stays Open');
    const socket = new WebSocket(`ws://127.0.0.1:${port}/sync/${userDocName(person.id)}`, { headers: { cookie: person.cookie } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const closed = closeCodeOf(socket, STOP_BOUND_MS);

    npm.kill('SIGTERM');
    expect((await closed).code).toBe(CloseCode.goingAway);
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_BOUND_MS)),
    ]);
    expect(stopped, `npm did not exit within ${STOP_BOUND_MS} ms`).toBe(true);
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: storing documents and stopping');
    expect(await portIsFree(port)).toBe(true);
    // The LevelDB lock is released: another process (this one) can open the store.
    const db = new Level(path.join(dataDir, 'db'));
    await db.open();
    await db.close();
  } finally {
    if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
  }
});
