/**
 * One relay of a test cluster in a child process of its own (the real
 * `main.ts`), so a test can do to it what happens to processes: SIGKILL,
 * SIGSTOP and SIGCONT, a start again on the same port and data. Its JSON log
 * tells the test the relay's lease identity in PostgreSQL, which is what
 * `doc.owner` names.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerAddress } from './server-address.js';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');

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
    this.url = `http://127.0.0.1:${port}`;
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
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the relay and resolves once it answers /api/health and has announced its lease (bounded by `timeoutMs`). */
  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        // One document per conversation unless the test asks for segments (as start-test-server.ts).
        HISTORY_SEGMENT_MESSAGES: '0',
        HISTORY_SEGMENT_BYTES: '0',
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        METRICS_PORT: String(this.metricsPort),
        DATA_DIR: this.dataDir,
        PUBLIC_URL: this.url,
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const leasesBefore = this.leaseIds.length;
    let line = '';
    // RELAY_LOG_DIR=<dir> keeps every relay's whole output, one file per start, to read after a failed run.
    const logDir = process.env.RELAY_LOG_DIR;
    const logFile = logDir ? path.join(logDir, `${this.name.replace(' ', '-')}-${process.pid}-${Date.now()}.log`) : null;
    const tee = (chunk: Buffer) => logFile && appendFileSync(logFile, chunk);
    child.stdout?.on('data', (chunk: Buffer) => {
      tee(chunk);
      line += chunk.toString();
      for (let end = line.indexOf('\n'); end >= 0; end = line.indexOf('\n')) {
        this.readLogLine(line.slice(0, end));
        line = line.slice(end + 1);
      }
    });
    // Kept (bounded) for the failure message of a relay that would not start or died; a new lease identity is a warning.
    let warning = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      tee(chunk);
      this.output = (this.output + chunk.toString()).slice(-4000);
      warning += chunk.toString();
      for (let end = warning.indexOf('\n'); end >= 0; end = warning.indexOf('\n')) {
        this.readLogLine(warning.slice(0, end));
        warning = warning.slice(end + 1);
      }
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${this.name} exited (${child.exitCode ?? child.signalCode}): ${this.output}`);
      if (this.leaseIds.length > leasesBefore && (await this.healthy())) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.name} did not start within ${timeoutMs} ms: ${this.output}`);
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

  private async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/api/health`)).ok;
    } catch {
      return false;
    }
  }

  /** SIGKILL: no shutdown handler runs; its lease stays until it runs out. */
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
