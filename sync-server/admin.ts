/**
 * Operator commands: `npm run admin -- <command> [--flag value]`. On
 * DATA_DIR, opened directly, so the server must not be running; with
 * DATABASE_URL the account commands work on PostgreSQL's users instead, with
 * the relays running.
 */
import { parseArgs } from 'node:util';
import { RegisterRequest, errorCodeOf, ERROR_MESSAGES } from '../shared/api.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../shared/limits.js';
import { describeWeakPassword, judgePassword } from '../shared/password-strength.js';
import { hashPassword } from './auth/password.js';
import { generateId } from './ids/random-ids.js';
import { loadConfig } from './config.js';
import { Database } from './store/database.js';
import { checkStore, formatStoreReport } from './store/store-check.js';
import { LevelUserStore } from './store/level-users.js';
import { migrate } from './store/postgres/migrations.js';
import { openPool } from './store/postgres/pool.js';
import { PostgresUserStore } from './store/postgres/postgres-users.js';
import type { UserStore } from './store/users.js';

const USAGE = `usage: npm run admin -- <command>
  create-user --name NAME --email EMAIL --password PASSWORD   an activated account
  reset-password --email EMAIL --password PASSWORD
  list-users
  check                                                       reads the whole store; exits 1 if it is damaged
The server must be stopped (it holds DATA_DIR), except for the account commands with DATABASE_URL (PostgreSQL).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
  });
  const command = positionals[0];
  if (!command || !['create-user', 'reset-password', 'list-users', 'check'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
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
    const verdict = judgePassword(parsed.data.password, [parsed.data.name, parsed.data.email]);
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
  const verdict = judgePassword(password, [user.name, user.email]);
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
