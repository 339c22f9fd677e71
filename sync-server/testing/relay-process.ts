/**
 * One relay of a test cluster in a child process of its own (the real
 * `main.ts`), so a test can do to it what happens to processes: SIGKILL,
 * SIGSTOP and SIGCONT, a start again on the same port and data. Its JSON log
 * tells the test the relay's lease identity in PostgreSQL, which is what
 * `doc.owner` names.
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ServerAddress } from './server-address.js';
import { hasExited, killServer, loopbackUrl, spawnServer, waitUntilStarted } from './server-process.js';

export class RelayProcess implements ServerAddress {
  private child: ChildProcess | null = null;
  private output = '';
  /** Every lease identity this relay announced (one per start). */
  readonly leaseIds: string[] = [];
  readonly url: string;
  readonly metricsUrl: string;

  constructor(
    /** For failure messages: "relay 2". */
    readonly name: string,
    readonly port: number,
    readonly metricsPort: number,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.url = loopbackUrl(port);
    this.metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last few kB the relay wrote to stderr (its warnings and errors), for failure messages. */
  get recentWarnings(): string {
    return this.output;
  }

  /** Started and not exited: a relay that died on its own (a crash) is not running, though nobody killed it. */
  get running(): boolean {
    return this.child !== null && !hasExited(this.child);
  }

  /** Starts the relay and resolves once it answers /api/health and has announced its lease (bounded by `timeoutMs`). */
  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawnServer({
      port: this.port,
      dataDir: this.dataDir,
      env: this.env,
      wrapperEnv: { METRICS_PORT: String(this.metricsPort), LOG_FORMAT: 'json' },
      stdout: 'pipe',
    });
    this.child = child;
    const leasesBefore = this.leaseIds.length;
    // RELAY_LOG_DIR=<dir> keeps every relay's whole output, one file per start, to read after a failed run.
    const logDir = process.env.RELAY_LOG_DIR;
    const logFile = logDir ? path.join(logDir, `${this.name.replace(' ', '-')}-${process.pid}-${Date.now()}.log`) : null;
    const tee = (chunk: Buffer) => logFile && appendFileSync(logFile, chunk);
    // Both streams are read line by line for lease announcements: the log's info lines on stdout, a new lease identity (a warning) on stderr.
    forEachLine(child.stdout, tee, (line) => this.readLogLine(line));
    // stderr is also kept (bounded) for the failure message of a relay that would not start or died.
    forEachLine(
      child.stderr,
      (chunk) => {
        tee(chunk);
        this.output = (this.output + chunk.toString()).slice(-4000);
      },
      (line) => this.readLogLine(line),
    );
    await waitUntilStarted(child, this.url, {
      name: this.name,
      timeoutMs,
      output: () => this.output,
      ready: () => this.leaseIds.length > leasesBefore,
    });
  }

  private readLogLine(text: string): void {
    try {
      const entry = JSON.parse(text) as { msg?: string; process?: string };
      const announces =
        entry.msg === 'documents are stored in PostgreSQL' || entry.msg === 'relay lease lost earlier: going on as a new process';
      if (announces && entry.process) this.leaseIds.push(entry.process);
    } catch {
      // not a JSON line (a library printing on its own): not ours to read
    }
  }

  /** SIGKILL: no shutdown handler runs; its lease stays until it runs out. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    await killServer(child);
    this.child = null;
  }

  /** SIGSTOP: the process is frozen, its sockets stay open and unanswered, as in a long GC pause or a partition. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT: the frozen process runs on where it stopped. */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** The relay's metrics, as text (its own METRICS_PORT, never through the load balancer). */
  async metricsText(): Promise<string> {
    const response = await fetch(this.metricsUrl);
    if (!response.ok) throw new Error(`${this.name}: /metrics answered ${response.status}`);
    return response.text();
  }

  /** The sum of one metric's samples whose labels include `label` (`outcome="lost"`; any when omitted), 0 when absent. */
  async metric(name: string, label?: string): Promise<number> {
    let total = 0;
    for (const line of (await this.metricsText()).split('\n')) {
      const match = line.match(/^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/);
      if (match && match[1] === name && (!label || (match[2] ?? '').includes(label))) total += Number(match[3]);
    }
    return total;
  }
}

/** Calls `chunkSeen` with each chunk of `stream` and `lineSeen` with each whole line (a partial last line waits for the rest). */
function forEachLine(stream: Readable | null, chunkSeen: (chunk: Buffer) => void, lineSeen: (line: string) => void): void {
  let pending = '';
  stream?.on('data', (chunk: Buffer) => {
    chunkSeen(chunk);
    pending += chunk.toString();
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      lineSeen(pending.slice(0, end));
      pending = pending.slice(end + 1);
    }
  });
}
