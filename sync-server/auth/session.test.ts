import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { beforeEach, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../../shared/limits.js';
import { KEY_SEPARATOR } from '../store/database.js';
import { LevelSessionRecordStore } from '../store/level-sessions.js';
import { LevelUserStore } from '../store/level-users.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { generateSecretToken, hashToken } from '../ids/random-ids.js';
import { LEGACY_TOKEN_GRACE_MS, SessionStore } from './session.js';

const DAY = 24 * 60 * 60 * 1000;
const test = useTestDatabase();
let now: number;
let sessions: SessionStore;

beforeEach(async () => {
  now = Date.UTC(2026, 0, 1);
  const users = new LevelUserStore(test.db);
  sessions = new SessionStore(new LevelSessionRecordStore(test.db), users, { now: () => now, health: test.db.health });
  await users.create({
    id: 'u1',
    name: 'Ada',
    email: 'ada@example.com',
    passwordHash: 'x',
    activated: true,
    createdAt: now,
  });
});

/** A session as the store held it before `<id>.<secret>`: keyed by the SHA-256 of the whole token, no secret hash. */
async function oldFormatSession(userId = 'u1'): Promise<{ token: string; id: string }> {
  const token = generateSecretToken();
  const id = hashToken(token);
  await test.db.sessions.put(id, { id, userId, expiresAt: now + SESSION_TTL_MS });
  await test.db.userSessions.put(userId + KEY_SEPARATOR + id, true);
  return { token, id };
}

describe('sessions', () => {
  it('issues <id>.<secret> and stores only the SHA-256 of the secret, under the id', async () => {
    const { token, session } = await sessions.create('u1');
    expect(token).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{32}$/);
    const [id, secret] = token.split('.');
    expect(session.id).toBe(id);
    const stored = await test.db.sessions.get(id ?? '');
    expect(stored?.secretHash).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode(secret))));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect((await sessions.validate(token))?.user.id).toBe('u1');
  });

  it('refuses the right id with a wrong secret, and malformed tokens', async () => {
    const { token, session } = await sessions.create('u1');
    const wrongSecret = `${session.id}.${generateSecretToken()}`;
    expect(await sessions.validate(wrongSecret)).toBeNull();
    // The wrong secret did not end the session for its owner.
    expect(await sessions.validate(token)).not.toBeNull();
    for (const malformed of [`${session.id}.`, `.${token.split('.')[1]}`, `${token}.x`, session.id, 'x'.repeat(500)]) {
      expect(await sessions.validate(malformed), malformed).toBeNull();
    }
  });

  it('does not let an id with any secret into an old-format session', async () => {
    const old = await oldFormatSession();
    expect(await sessions.validate(`${old.id}.${generateSecretToken()}`)).toBeNull();
    expect(await sessions.validate(`${old.id}.`)).toBeNull();
  });

  it('slides the expiry forward when less than half the life is left', async () => {
    const { token } = await sessions.create('u1');
    now += 10 * DAY;
    expect((await sessions.validate(token))?.renewed).toBe(false);
    now += 10 * DAY;
    const renewed = await sessions.validate(token);
    expect(renewed?.renewed).toBe(true);
    expect(renewed?.cookie).toBe(token);
    expect(renewed?.session.expiresAt).toBe(now + SESSION_TTL_MS);
  });

  it('refuses and deletes an expired session', async () => {
    const { token, session } = await sessions.create('u1');
    now += SESSION_TTL_MS;
    expect(await sessions.validate(token)).toBeNull();
    expect(await test.db.sessions.get(session.id)).toBeUndefined();
  });

  it('refuses an invalidated session', async () => {
    const { token, session } = await sessions.create('u1');
    await sessions.invalidate(session.id);
    expect(await sessions.validate(token)).toBeNull();
  });
});

describe('sessions from before <id>.<secret>', () => {
  it('still sign in, and a socket upgrade (no re-issue) leaves them as they are', async () => {
    const old = await oldFormatSession();
    const valid = await sessions.validate(old.token);
    expect(valid).toMatchObject({ user: { id: 'u1' }, session: { id: old.id }, renewed: false });
    expect(valid?.cookie).toBeUndefined();
    expect((await test.db.sessions.get(old.id))?.secretHash).toBeUndefined();
  });

  it('are re-issued as <same id>.<new secret> on an HTTP request; the old token works for the grace only', async () => {
    const old = await oldFormatSession();
    const reissued = await sessions.validate(old.token, { reissueLegacy: true });
    const cookie = reissued?.cookie ?? '';
    expect(cookie.startsWith(`${old.id}.`)).toBe(true);
    expect(reissued?.session.id).toBe(old.id);
    expect((await sessions.validate(cookie))?.user.id).toBe('u1');
    // Requests sent before the new cookie arrived still pass, and get no cookie that would replace the new one.
    const inFlight = await sessions.validate(old.token, { reissueLegacy: true });
    expect(inFlight?.user.id).toBe('u1');
    expect(inFlight?.cookie).toBeUndefined();
    now += LEGACY_TOKEN_GRACE_MS;
    expect(await sessions.validate(old.token)).toBeNull();
    expect((await sessions.validate(cookie))?.user.id).toBe('u1');
  });

  it('are re-issued once when two requests bring the old token together', async () => {
    const old = await oldFormatSession();
    const both = await Promise.all([1, 2].map(() => sessions.validate(old.token, { reissueLegacy: true })));
    const cookies = both.map((valid) => valid?.cookie).filter((cookie) => cookie !== undefined);
    expect(cookies).toHaveLength(1);
    expect((await sessions.validate(cookies[0] ?? ''))?.user.id).toBe('u1');
  });

  it('end on sign-out and with every session of the person, old token and re-issued one alike', async () => {
    const first = await oldFormatSession();
    await sessions.invalidate(first.id);
    expect(await sessions.validate(first.token)).toBeNull();

    const second = await oldFormatSession();
    const cookie = (await sessions.validate(second.token, { reissueLegacy: true }))?.cookie ?? '';
    expect(await sessions.invalidateAllOf('u1')).toEqual([second.id]);
    expect(await sessions.validate(cookie)).toBeNull();
    expect(await sessions.validate(second.token)).toBeNull();
  });

  it('expire like any other', async () => {
    const old = await oldFormatSession();
    now += SESSION_TTL_MS;
    expect(await sessions.validate(old.token, { reissueLegacy: true })).toBeNull();
    expect(await test.db.sessions.get(old.id)).toBeUndefined();
  });
});
