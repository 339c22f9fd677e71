/**
 * A real server with DATABASE_URL keeps accounts, sessions, tokens,
 * memberships, friends, invites and pictures in PostgreSQL (store/server-stores.ts):
 * people register, activate from the mail, sign in and make a group over
 * HTTP, and a second server on the same database (another DATA_DIR, as
 * another relay of a cluster) sees the same people, sessions and groups.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunningServer } from '../../server.js';
import { api } from '../../testing/api-call.js';
import { solidPng } from '../../testing/images.js';
import { startTestServer } from '../../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../../testing/temp-dir.js';
import { createUser } from '../../testing/test-users.js';
import { useTestSchema } from '../../testing/use-test-schema.js';

const postgres = useTestSchema({ each: true });
let servers: RunningServer[] = [];
let dirs: string[] = [];

beforeEach(async () => {
  dirs = [await makeTempDir(), await makeTempDir()];
  servers = [];
  for (const dataDir of dirs) servers.push(await startTestServer({ dataDir, postgres: postgres.config }));
});

afterEach(async () => {
  for (const server of servers) await server.close();
  for (const dir of dirs) await removeDir(dir);
});

it('registers, activates, signs in and makes a group over HTTP, all kept in PostgreSQL and seen by a second relay', async () => {
  const [first, second] = servers;
  const ada = await createUser(first, 'Ada');
  const bob = await createUser(first, 'Bob');

  // One account per email across relays: the second one refuses Ada's email.
  const twin = await api(second, 'POST', '/api/auth/register', {
    body: { name: 'Twin', email: ada.email, password: 'correct horse battery' },
  });
  expect(twin).toMatchObject({ status: 409, body: { error: 'email_taken' } });
  // Two registrations of one email at the same moment, one per relay: one account.
  const race = await Promise.all(
    servers.map((server, i) =>
      api(server, 'POST', '/api/auth/register', {
        body: { name: `Racer ${i}`, email: 'race@example.com', password: 'correct horse battery' },
      }),
    ),
  );
  expect(race.map((response) => response.status).sort()).toEqual([201, 409]);
  const raced = await postgres.pool.query("SELECT count(*)::int AS n FROM users WHERE email = 'race@example.com'");
  expect(raced.rows[0].n).toBe(1);
  // A session made on one relay works on the other.
  expect(await api(second, 'GET', '/api/me', { cookie: ada.cookie })).toMatchObject({ status: 200, body: { id: ada.id } });

  // Friends and the group are made through the first relay, as the people were: the server's writes into their documents
  // go to the relay that owns them (document ownership, not these stores). The second relay reads what the stores hold.
  const request = await api<{ id: string }>(first, 'POST', '/api/friends/requests', {
    cookie: ada.cookie,
    body: { email: bob.email, note: 'hi' },
  });
  expect(request.status).toBe(201);
  expect((await api(first, 'POST', `/api/friends/requests/${request.body.id}/accept`, { cookie: bob.cookie })).status).toBe(200);
  const group = await api<{ id: string }>(first, 'POST', '/api/conversations', {
    cookie: ada.cookie,
    body: { kind: 'group', title: 'Climbing', memberIds: [bob.id] },
  });
  expect(group.status).toBe(201);
  const listed = await api<Array<{ id: string; kind: string }>>(second, 'GET', '/api/conversations', { cookie: bob.cookie });
  expect(listed.body.filter((conversation) => conversation.kind === 'group').map((conversation) => conversation.id)).toEqual([
    group.body.id,
  ]);

  // It is PostgreSQL that holds them, not the relays' LevelDB.
  const { rows } = await postgres.pool.query('SELECT user_id, role FROM memberships WHERE conversation_id = $1 ORDER BY role', [
    group.body.id,
  ]);
  expect(rows).toEqual([
    { user_id: bob.id, role: 'member' },
    { user_id: ada.id, role: 'owner' },
  ]);
  expect((await first.context.db.users.get(ada.id)) ?? null).toBeNull();
  const sessions = await postgres.pool.query('SELECT secret_hash FROM sessions WHERE user_id = $1', [ada.id]);
  expect(sessions.rows.length).toBeGreaterThan(0);
  // Only the SHA-256 of the cookie's secret is stored.
  const secret = ada.cookie.split('.').at(-1) ?? '';
  expect(JSON.stringify(sessions.rows)).not.toContain(secret);

  // A picture uploaded through the first relay is served by the second: its bytes are in PostgreSQL, not in a DATA_DIR.
  const upload = await fetch(`${first.url}/api/me/avatar`, {
    method: 'POST',
    headers: { cookie: ada.cookie, origin: first.url, 'content-type': 'image/png' },
    body: new Uint8Array(solidPng(16, 16)),
  });
  expect(upload.status).toBe(201);
  const { avatar } = (await upload.json()) as { avatar: string };
  const served = await fetch(`${second.url}${new URL(avatar, second.url).pathname}`, { headers: { cookie: bob.cookie } });
  expect(served.status).toBe(200);
  expect(Buffer.from(await served.arrayBuffer()).equals(solidPng(16, 16))).toBe(true);

  // Signing out through one relay ends the session on the other.
  expect((await api(second, 'POST', '/api/auth/logout', { cookie: ada.cookie })).status).toBeLessThan(300);
  expect((await api(first, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(401);
});
