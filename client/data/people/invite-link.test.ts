import { describe, expect, it } from 'vitest';
import { describeExpiry, describeInvite } from './invite-link.js';
import { isInviteCode } from '../session/route.js';

describe('invite links', () => {
  it('accepts the server’s base32 codes only', () => {
    expect(isInviteCode('abcdefghijklmnopqrstuvwxyz234567')).toBe(true);
    expect(isInviteCode('ABCDEFGHIJKLMNOP')).toBe(false);
    expect(isInviteCode('short')).toBe(false);
    expect(isInviteCode('abcdefghijklmnop/../x')).toBe(false);
  });

  it('describes uses and expiry', () => {
    const now = 1_000_000_000_000;
    expect(describeInvite({ expiresAt: now + 3 * 86_400_000, maxUses: 5, uses: 2 }, now)).toBe('3 of 5 uses left · expires in 3 days');
    expect(describeInvite({ expiresAt: now + 5 * 3_600_000, maxUses: 0, uses: 1 }, now)).toBe('used 1 time · expires in 5 h');
    expect(describeExpiry(now + 10 * 60_000, now)).toBe('expires in 10 min');
    expect(describeExpiry(now - 1, now)).toBe('expired');
  });
});
