/** The real server in a child process, so a test can SIGKILL it mid-write and start it again. */
import type { ChildProcess } from 'node:child_process';
import { hasExited, killServer, loopbackUrl, spawnServer, waitUntilStarted } from './server-process.js';

// Many tests and fixtures take a port from here; it lives with the spawning in server-process.ts.
export { freePort } from './server-process.js';

export class ChildServer {
  private child: ChildProcess | null = null;
  readonly url: string;

  constructor(
    readonly port: number,
    readonly dataDir: string,
    /** More environment for the server (limits, say); the test's own environment is inherited. */
    private readonly env: NodeJS.ProcessEnv = {},
  ) {
    this.url = loopbackUrl(port);
  }

  /** The server's process id while it runs (to read its memory in /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the server and resolves once it answers /api/health (bounded by `timeoutMs`). A start is tsx compiling the
   * server and LevelDB opening (or repairing) its store: ~3 s on a quiet machine, past 20 s on a loaded one, where the
   * chaos test's restarts once hit the old 20 s bound; the bound is for a server that never comes up.
   */
  async start(timeoutMs = 45_000): Promise<void> {
    const child = spawnServer({
      port: this.port,
      dataDir: this.dataDir,
      env: this.env,
      // An idle document leaves memory after 100 ms, not the default 10 s (always so here, whatever `env` says).
      wrapperEnv: { DOC_UNLOAD_GRACE_MS: '100' },
      stdout: 'ignore',
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.child = child;
    await waitUntilStarted(child, this.url, { name: 'server', timeoutMs, output: () => stderr });
  }

  /** SIGKILL: no shutdown handler runs, whatever was not written is lost. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    await killServer(child);
    this.child = null;
  }
}
