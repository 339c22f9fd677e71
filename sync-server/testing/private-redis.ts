/**
 * A Redis of the test's own (`redis-server` on a free loopback port, no
 * persistence), for tests that kill Redis: the machine's shared Redis on 6379
 * serves every other test and must never be stopped. Call `usePrivateRedis`
 * at the top of a test file (it registers a vitest hook that kills it after
 * each test).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach } from 'vitest';
import { freePort } from './child-server.js';

export class PrivateRedis {
  private child: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server and resolves once it accepts connections (its log says so), at most `timeoutMs`. */
  async start(timeoutMs = 10_000): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
        if (!output.includes('Ready to accept connections')) return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
  }

  /** SIGKILL, as a crash: every connection drops, and everything it held (nothing of ours that must last) is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    this.child = null;
  }
}

/** A private Redis per test, started inside the test (`start`) on a fresh port and killed after it. */
export function usePrivateRedis(): { start(): Promise<PrivateRedis> } {
  const started: PrivateRedis[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((redis) => redis.kill()));
  });
  return {
    async start() {
      const redis = new PrivateRedis(await freePort());
      started.push(redis);
      await redis.start();
      return redis;
    },
  };
}
