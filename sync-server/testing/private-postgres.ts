/**
 * A PostgreSQL cluster of the test's own (`initdb` into a temp directory,
 * `pg_ctl start` on a free loopback port, trust auth), for tests that stop
 * PostgreSQL: the machine's shared PostgreSQL serves every other test and must
 * never be stopped. Debian's binaries live in /usr/lib/postgresql/<version>/bin
 * (POSTGRES_BIN overrides). PostgreSQL refuses to run as root, so as root the
 * cluster runs as the `postgres` user (`runuser`). Call `usePrivatePostgres`
 * at the top of a test file (it registers a vitest hook that stops and
 * removes it after each test).
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import { freePort } from './child-server.js';

const run = promisify(execFile);

/** The newest installed PostgreSQL's bin directory. */
async function postgresBin(): Promise<string> {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  const versions = (await readdir(root)).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no PostgreSQL under ${root}: apt-get install postgresql, or set POSTGRES_BIN`);
  return path.join(root, newest, 'bin');
}

/** As root: the `postgres` user's uid and gid (PostgreSQL will not run as root); otherwise null (run as we are). */
async function runAsPostgres(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    private readonly user: { uid: number; gid: number } | null,
    readonly port: number,
  ) {}

  /** Makes a new cluster (initdb) in a temp directory; `start` runs it. */
  static async create(): Promise<PrivatePostgres> {
    const [bin, user] = [await postgresBin(), await runAsPostgres()];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'private-postgres-'));
    if (user) await chown(dir, user.uid, user.gid);
    const cluster = new PrivatePostgres(bin, dir, user, await freePort());
    await cluster.pg('initdb', ['-D', path.join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Starts the server and waits until it accepts connections (`pg_ctl -w`). */
  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c full_page_writes=off`;
    await this.pg('pg_ctl', [
      '-D',
      path.join(this.dir, 'data'),
      '-o',
      options,
      '-l',
      path.join(this.dir, 'log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** `pg_ctl stop -m immediate`: every backend killed at once, no checkpoint, as a crash; the next start replays the WAL. */
  async stopImmediately(): Promise<void> {
    await this.pg('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  /** Stops it if it runs and removes its directory. */
  async destroy(): Promise<void> {
    await this.stopImmediately().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const binary = path.join(this.bin, program);
    if (this.user) await run('runuser', ['-u', 'postgres', '--', binary, ...args], { cwd: this.dir, timeout: 120_000 });
    else await run(binary, args, { cwd: this.dir, timeout: 120_000 });
  }
}

/** A private PostgreSQL per test (`create` makes and starts one), stopped and removed after it. */
export function usePrivatePostgres(): { create(): Promise<PrivatePostgres> } {
  const made: PrivatePostgres[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((cluster) => cluster.destroy()));
  });
  return {
    async create() {
      const cluster = await PrivatePostgres.create();
      made.push(cluster);
      await cluster.start();
      return cluster;
    },
  };
}
