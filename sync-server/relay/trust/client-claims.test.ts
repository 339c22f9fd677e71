import { describe, expect, it } from 'vitest';
import { ClientClaims } from './client-claims.js';

describe('client claims', () => {
  it('holds an id for the first person who announced it', () => {
    const claims = new ClientClaims();
    expect(claims.claimantOf(1)).toBeUndefined();
    expect(claims.claim(1, 'alice')).toBe(true);
    expect(claims.claim(1, 'alice')).toBe(true);
    expect(claims.claim(1, 'mallory')).toBe(false);
    expect(claims.claimantOf(1)).toBe('alice');
  });

  it("lets go of a person's oldest claims past the bound, and nobody else's", () => {
    const claims = new ClientClaims({ maxClaimsPerPerson: 3 });
    claims.claim(1, 'alice');
    claims.claim(100, 'bob');
    claims.claim(2, 'alice');
    claims.claim(3, 'alice');
    claims.claim(4, 'alice');
    expect([1, 2, 3, 4].map((id) => claims.claimantOf(id))).toEqual([undefined, 'alice', 'alice', 'alice']);
    // A claim held again does not count as new: it is not renewed, and it lets nothing go.
    expect(claims.claim(2, 'alice')).toBe(true);
    claims.claim(5, 'alice');
    expect([2, 3, 4, 5].map((id) => claims.claimantOf(id))).toEqual([undefined, 'alice', 'alice', 'alice']);
    expect(claims.claimantOf(100)).toBe('bob');
  });

  it('releases a claim that a binding took over, and its place under the bound with it', () => {
    const claims = new ClientClaims({ maxClaimsPerPerson: 2 });
    claims.claim(1, 'alice');
    claims.claim(2, 'alice');
    claims.release(1);
    claims.release(7);
    expect(claims.claimantOf(1)).toBeUndefined();
    claims.claim(3, 'alice');
    expect([2, 3].map((id) => claims.claimantOf(id))).toEqual(['alice', 'alice']);
    claims.release(2);
    claims.release(3);
    expect(claims.claim(3, 'bob')).toBe(true);
    expect(claims.claimantOf(3)).toBe('bob');
  });
});
