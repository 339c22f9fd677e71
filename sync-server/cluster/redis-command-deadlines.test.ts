/**
 * The command timeout of the commands and subscriber connections
 * (redis-command-deadlines.ts), against the real Redis: an answer that came
 * while the main thread was held is taken (ioredis' timer per command failed
 * it: "Command timed out" from a busy relay); a command Redis never answers
 * still fails after the timeout.
 */
import net from 'node:net';
import { expect, it } from 'vitest';
import { quietLogger } from '../testing/quiet-logger.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { connectRedis } from './redis-connection.js';

const redis = useTestRedis();

/** Holds the main thread for `ms`, as a relay on a loaded machine is held between two turns of its event loop. */
function blockMainThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: nothing else of this process may run meanwhile.
  }
}

it('answers a command whose answer came while the main thread was held past the timeout (a busy relay, not a silent Redis)', async () => {
  const timeoutMs = 100;
  const commands = connectRedis({ ...redis.config, commandTimeoutMs: timeoutMs }, 'commands', quietLogger);
  try {
    await commands.set(`${redis.config.keyPrefix}k`, 'v');
    const answer = commands.get(`${redis.config.keyPrefix}k`);
    blockMainThread(timeoutMs * 4);
    await expect(answer).resolves.toBe('v');
  } finally {
    await commands.del(`${redis.config.keyPrefix}k`);
    commands.disconnect();
  }
});

it('fails a command that Redis never answers, between one and one and a quarter timeouts after it was sent', async () => {
  // A Redis that took the connection and then hangs: nothing answers, not even the connection's handshake.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => sockets.add(socket.on('error', () => {})));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  const commands = connectRedis({ ...redis.config, url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 200 }, 'commands', quietLogger);
  try {
    expect(commands.options.commandTimeout).toBeUndefined();
    const started = performance.now();
    await expect(commands.get('anything')).rejects.toThrow('Command timed out');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(190);
    // Checked every quarter of the timeout: late by at most that (plus a busy machine's lag).
    expect(waited).toBeLessThan(2000);
  } finally {
    commands.disconnect();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});
