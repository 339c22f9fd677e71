import { describe, expect, it } from 'vitest';
import { closeFor, names } from './revocation.js';

const alice = { userId: 'aliceaaaaaaaaaaaaaaaaaaa', sessionId: 'session-a' };
const bob = { userId: 'bobbbbbbbbbbbbbbbbbbbbbb', sessionId: 'session-b' };
const conversation = 'convcccccccccccccccccccc';
const other = 'convdddddddddddddddddddd';

describe('revocations', () => {
  it('name every socket of an ended session, whatever its document', () => {
    const revocation = { kind: 'session-ended', sessionId: 'session-a' } as const;
    expect(names(revocation, { identity: alice, docName: `conv/${conversation}` })).toBe(true);
    expect(names(revocation, { identity: alice, docName: `user/${alice.userId}` })).toBe(true);
    expect(names(revocation, { identity: bob, docName: `conv/${conversation}` })).toBe(false);
    expect(closeFor(revocation)).toEqual({ code: 4401, reason: 'signed out' });
  });

  it("name a removed member's sockets to every segment of that conversation, and no other", () => {
    const revocation = { kind: 'member-removed', conversationId: conversation, userId: alice.userId } as const;
    expect(names(revocation, { identity: alice, docName: `conv/${conversation}` })).toBe(true);
    expect(names(revocation, { identity: alice, docName: `conv/${conversation}~3` })).toBe(true);
    expect(names(revocation, { identity: alice, docName: `conv/${other}` })).toBe(false);
    expect(names(revocation, { identity: alice, docName: `user/${alice.userId}` })).toBe(false);
    expect(names(revocation, { identity: bob, docName: `conv/${conversation}` })).toBe(false);
    expect(closeFor(revocation).code).toBe(4403);
  });

  it('close a blocked visitor with 4403, not 4401 (the widget must not ask to sign in)', () => {
    expect(closeFor({ kind: 'visitor-blocked', sessionId: 'visitor:x' })).toEqual({ code: 4403, reason: 'blocked by the site' });
  });
});
