/**
 * The real server (`main.ts`) in a child process, as the tests' two wrappers
 * start it: child-server.ts (one server, SIGKILLed mid-write) and
 * relay-process.ts (one relay of a cluster, killed, frozen and read through
 * its JSON log). Written once here: the command, the environment a test
 * server gets, the wait until it answers /api/health, and SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');

/** How often a starting server is asked whether it answers yet. */
const START_POLL_MS = 50;

/** A port nobody listens on now (the OS's choice), for a child server or service to take. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Where a server on `port` answers: loopback, which is also its PUBLIC_URL. */
export function loopbackUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export interface ServerProcessSettings {
  port: number;
  dataDir: string;
  /** The test's settings for this server (limits, say): over the defaults and the test's own environment. */
  env: NodeJS.ProcessEnv;
  /** What the wrapper always sets (its metrics port and log format, a short unload grace): over `env`. */
  wrapperEnv: NodeJS.ProcessEnv;
  /** 'pipe' when the wrapper reads the server's stdout (a relay's JSON log). */
  stdout: 'pipe' | 'ignore';
  /**
   * A built server (build-server.ts's bundle) to run with plain node, as `npm start` does. Without it, the
   * run's own build (server-bundle-setup.ts), or main.ts under tsx where there is none.
   */
  bundle?: string;
}

/**
 * Starts the server with the test's environment: from the built bundle (plain node, as `npm start`), or
 * `main.ts` under tsx; stderr is always piped, for failure messages.
 */
export function spawnServer(settings: ServerProcessSettings): ChildProcess {
  // inject() reads vitest's state and throws outside a test run: the benches start relays through here too.
  const bundle = settings.bundle ?? (process.env.VITEST ? inject('serverBundle') : undefined);
  return spawn(process.execPath, bundle ? [bundle] : ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      // One document per conversation unless the test asks for segments (as start-test-server.ts).
      HISTORY_SEGMENT_MESSAGES: '0',
      HISTORY_SEGMENT_BYTES: '0',
      ...settings.env,
      PORT: String(settings.port),
      HOST: '127.0.0.1',
      DATA_DIR: settings.dataDir,
      PUBLIC_URL: loopbackUrl(settings.port),
      ...settings.wrapperEnv,
    },
    stdio: ['ignore', settings.stdout, 'pipe'],
  });
}

/** Whether the process has ended, by its own exit or by a signal. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export interface StartWait {
  /** For failure messages: "server", "relay 2". */
  name: string;
  timeoutMs: number;
  /** What the server wrote so far (its stderr), for the failure message. */
  output: () => string;
  /** More than /api/health the wrapper waits for (a relay's lease announced in its log). */
  ready?: () => boolean;
}

/** Resolves once `url` answers /api/health (and `ready` holds); fails at once if the process ends, and after `timeoutMs`. */
export async function waitUntilStarted(child: ChildProcess, url: string, wait: StartWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`${wait.name} exited (${child.exitCode ?? child.signalCode}): ${wait.output()}`);
    if ((wait.ready?.() ?? true) && (await answersHealth(url))) return;
    await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
  }
  throw new Error(`${wait.name} did not start within ${wait.timeoutMs} ms: ${wait.output()}`);
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/health`)).ok;
  } catch {
    // not listening yet
    return false;
  }
}

/** SIGKILL, resolved once the process has exited: no shutdown handler runs. Nothing to do for one that has ended. */
export async function killServer(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
