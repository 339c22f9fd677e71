import { beforeEach, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../../shared/limits.js';
import { UserStore } from '../store/users.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { hashToken } from './random-token.js';
import { SessionStore } from './session.js';

const DAY = 24 * 60 * 60 * 1000;
const test = useTestDatabase();
let now: number;
let sessions: SessionStore;

beforeEach(async () => {
  now = Date.UTC(2026, 0, 1);
  sessions = new SessionStore(test.db, () => now);
  await new UserStore(test.db).create({ id: 'u1', name: 'Ada', email: 'ada@example.com', passwordHash: 'x', activated: true, createdAt: now });
});

describe('sessions', () => {
  it('stores only the hash of the token', async () => {
    const { token, session } = await sessions.create('u1');
    expect(session.id).toBe(hashToken(token));
    expect(await test.db.sessions.get(token)).toBeUndefined();
  });

  it('slides the expiry forward when less than half the life is left', async () => {
    const { token } = await sessions.create('u1');
    now += 10 * DAY;
    expect((await sessions.validate(token))?.renewed).toBe(false);
    now += 10 * DAY;
    const renewed = await sessions.validate(token);
    expect(renewed?.renewed).toBe(true);
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
