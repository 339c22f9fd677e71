/**
 * Operator commands: `npm run admin -- <command> [--flag value]`. On
 * DATA_DIR, opened directly, so the server must not be running; with
 * DATABASE_URL the account commands work on PostgreSQL's users instead, with
 * the relays running. `copy-to-postgres` reads DATA_DIR and writes
 * DATABASE_URL's empty database (moving an installation into a cluster).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { RegisterRequest, errorCodeOf, ERROR_MESSAGES } from '../shared/api.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../shared/limits.js';
import { describeWeakPassword } from '../shared/password-verdict.js';
import { passwordJudge } from './accounts/password-judge.js';
import { hashPassword } from './auth/password.js';
import { generateId } from './ids/random-ids.js';
import { loadConfig, type ServerConfig } from './config.js';
import type { VapidKeys } from './push/vapid-keys.js';
import { fillSharedHeads } from './participants/fill-shared-heads.js';
import { HeadTable } from './participants/head-table.js';
import { DocRegistry } from './relay/doc-registry.js';
import { Database } from './store/database.js';
import { LevelDocumentLog } from './store/level-document-log.js';
import { LevelHeadRecords } from './store/level-head-records.js';
import { checkStore, formatStoreReport } from './store/store-check.js';
import { LevelUserStore } from './store/level-users.js';
import { copyToPostgres, formatCopyReport, hasStore } from './store/postgres/copy-to-postgres.js';
import { migrate } from './store/postgres/migrations.js';
import { openPool } from './store/postgres/pool.js';
import { PostgresUserStore } from './store/postgres/postgres-users.js';
import type { UserStore } from './store/users.js';

const USAGE = `usage: npm run admin -- <command>
  create-user --name NAME --email EMAIL --password PASSWORD   an activated account
  reset-password --email EMAIL --password PASSWORD
  list-users
  check                                                       reads the whole store; exits 1 if it is damaged
  copy-to-postgres [--vapid-env FILE]                         copies DATA_DIR into DATABASE_URL's empty database, verified;
                                                              FILE gets the VAPID keys as VAPID_PUBLIC_KEY=… lines
  fill-shared-heads                                           the head table and each person's marks from the heads in their user
                                                              documents (idempotent; the server does it at its first start with shared heads)
The server must be stopped (it holds DATA_DIR), except for the account commands with DATABASE_URL (PostgreSQL).`;

const COMMANDS = ['create-user', 'reset-password', 'list-users', 'check', 'copy-to-postgres', 'fill-shared-heads'];

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' }, 'vapid-env': { type: 'string' } },
  });
  const command = positionals[0];
  if (!command || !COMMANDS.includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  if (command === 'copy-to-postgres') return copyCommand(config, values['vapid-env']);
  if (command === 'fill-shared-heads') return fillCommand(config);
  if (command === 'check') {
    const db = await Database.open(config.dataDir);
    try {
      const report = await checkStore(db);
      console.log(formatStoreReport(report));
      return report.problems.length === 0 && !report.interrupted ? 0 : 1;
    } finally {
      await db.close();
    }
  }
  // A cluster's accounts are in PostgreSQL, shared by the running relays; otherwise in this DATA_DIR's LevelDB.
  if (config.postgres) {
    const pool = openPool(config.postgres);
    try {
      await migrate(pool, config.postgres.schema);
      return await accountCommand(command, values, new PostgresUserStore(pool));
    } finally {
      await pool.end();
    }
  }
  const db = await Database.open(config.dataDir);
  try {
    return await accountCommand(command, values, new LevelUserStore(db));
  } finally {
    await db.close();
  }
}

/** `copy-to-postgres`: DATA_DIR (the server stopped) into DATABASE_URL's empty database; exits 0 only when committed. */
async function copyCommand(config: ServerConfig, vapidEnv: string | undefined): Promise<number> {
  if (!config.postgres) return fail('set DATABASE_URL (and DATABASE_SCHEMA if not public) to the empty database to copy into');
  if (!(await hasStore(config.dataDir)))
    return fail(`no store in DATA_DIR (${config.dataDir}/db): set DATA_DIR to the installation to copy`);
  const db = await Database.open(config.dataDir);
  const pool = openPool(config.postgres);
  try {
    // First, so that a file already there stops the command before anything is copied.
    if (vapidEnv) await writeVapidEnv(db, vapidEnv);
    const report = await copyToPostgres(db, config.dataDir, pool, config.postgres.schema);
    console.log(formatCopyReport(report, config.dataDir, config.postgres.schema));
    return report.outcome === 'committed' ? 0 : 1;
  } finally {
    await pool.end();
    await db.close();
  }
}

/** `fill-shared-heads`: DATA_DIR (the server stopped) gets its head table and marks (participants/fill-shared-heads.ts). */
async function fillCommand(config: ServerConfig): Promise<number> {
  if (config.postgres) return fail('shared heads are not built for PostgreSQL yet: unset DATABASE_URL');
  const db = await Database.open(config.dataDir);
  const registry = new DocRegistry({
    store: new LevelDocumentLog(db),
    unloadGraceMs: 0,
    compactThreshold: config.docCompactThreshold,
    log: config.log,
  });
  try {
    // Every person, streamed from the store (the account listing stops at 1,000).
    const report = await fillSharedHeads(registry, new HeadTable(new LevelHeadRecords(db)), db.users.keys());
    console.log(`${report.people} people: ${report.marksWritten} marks and ${report.headsWritten} conversation heads written`);
    return 0;
  } finally {
    await registry.closeAll();
    await db.close();
  }
}

/**
 * Browsers bind each push subscription to the VAPID public key it was made
 * with, so every relay must sign with the installation's pair; written for
 * the relays' environment, readable by its owner only, never over a file.
 */
async function writeVapidEnv(db: Database, file: string): Promise<void> {
  const keys = await db.root.sublevel<string, VapidKeys>('pushKeys', { valueEncoding: 'json' }).get('vapid');
  if (!keys) {
    console.log('no VAPID keys in DATA_DIR (no push was ever set up): nothing written');
    return;
  }
  await writeFile(file, `VAPID_PUBLIC_KEY=${keys.publicKey}\nVAPID_PRIVATE_KEY=${keys.privateKey}\n`, { mode: 0o600, flag: 'wx' });
  console.log(`VAPID keys written to ${file}: give every relay these two variables`);
}

async function accountCommand(
  command: string,
  values: { name?: string; email?: string; password?: string },
  users: UserStore,
): Promise<number> {
  if (command === 'list-users') {
    for (const user of await users.list()) {
      console.log(`${user.id}\t${user.email}\t${user.activated ? 'active' : 'inactive'}\t${user.name}`);
    }
    return 0;
  }
  if (command === 'create-user') {
    const parsed = RegisterRequest.safeParse(values);
    if (!parsed.success) return fail(ERROR_MESSAGES[errorCodeOf(parsed.error)]);
    if (await users.byEmail(parsed.data.email)) return fail(ERROR_MESSAGES.email_taken);
    const verdict = await passwordJudge.judge(parsed.data.password, [parsed.data.name, parsed.data.email]);
    if (!verdict.acceptable) return fail(describeWeakPassword(verdict));
    const id = generateId();
    const created = await users.create({
      id,
      name: parsed.data.name,
      email: parsed.data.email,
      passwordHash: await hashPassword(parsed.data.password),
      activated: true,
      createdAt: Date.now(),
    });
    if (!created) return fail(ERROR_MESSAGES.email_taken);
    console.log(`created ${parsed.data.email} (${id}), activated`);
    return 0;
  }
  const user = values.email ? await users.byEmail(values.email.trim().toLowerCase()) : undefined;
  if (!user) return fail('no account has this email');
  const password = values.password ?? '';
  if (password.length < PASSWORD_MIN_LENGTH) return fail(ERROR_MESSAGES.password_too_short);
  if (password.length > PASSWORD_MAX_LENGTH) return fail(ERROR_MESSAGES.password_too_long);
  const verdict = await passwordJudge.judge(password, [user.name, user.email]);
  if (!verdict.acceptable) return fail(describeWeakPassword(verdict));
  await users.update({ ...user, passwordHash: await hashPassword(password) });
  console.log(`password of ${user.email} reset`);
  return 0;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
