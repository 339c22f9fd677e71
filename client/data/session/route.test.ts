import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './route.js';

describe('routes', () => {
  it('reads the activation token', () => {
    expect(parseRoute({ pathname: '/activate', search: '?token=abc%2B1' })).toEqual({ kind: 'activate', token: 'abc+1' });
    expect(parseRoute({ pathname: '/activate/', search: '' })).toEqual({ kind: 'activate', token: '' });
  });

  it('keeps the invite an activation link leads back to, and only a real invite code (issue 15)', () => {
    const code = 'abcdefghijklmnopqrstuvwxyz234567';
    const route = parseRoute({ pathname: '/activate', search: `?token=t1&join=${code}` });
    expect(route).toEqual({ kind: 'activate', token: 't1', join: code });
    expect(routePath(route)).toBe(`/activate?token=t1&join=${code}`);
    expect(parseRoute({ pathname: '/activate', search: '?token=t1&join=https%3A%2F%2Fevil.example' })).toEqual({
      kind: 'activate',
      token: 't1',
    });
  });

  it('reads the email confirmation token and round-trips it (account settings)', () => {
    const route = parseRoute({ pathname: '/confirm-email', search: '?token=abc%2B1' });
    expect(route).toEqual({ kind: 'confirm-email', token: 'abc+1' });
    expect(routePath(route)).toBe('/confirm-email?token=abc%2B1');
    expect(parseRoute({ pathname: '/confirm-email/', search: '' })).toEqual({ kind: 'confirm-email', token: '' });
  });

  it('reads the password reset token and round-trips it', () => {
    const route = parseRoute({ pathname: '/reset', search: '?token=abc%2B1' });
    expect(route).toEqual({ kind: 'reset', token: 'abc+1' });
    expect(routePath(route)).toBe('/reset?token=abc%2B1');
    expect(parseRoute({ pathname: '/reset/', search: '?other=1' })).toEqual({ kind: 'reset', token: '' });
  });

  it('keeps a reset link apart from other paths that start alike', () => {
    expect(parseRoute({ pathname: '/reset-password', search: '?token=abc' })).toEqual({ kind: 'home' });
    expect(parseRoute({ pathname: '/reset/abc', search: '' })).toEqual({ kind: 'home' });
  });

  it('reads a conversation and round-trips it', () => {
    const route = parseRoute({ pathname: '/c/Ab_9-x', search: '' });
    expect(route).toEqual({ kind: 'conversation', id: 'Ab_9-x' });
    expect(routePath(route)).toBe('/c/Ab_9-x');
  });

  it('reads an invite link and round-trips it', () => {
    const code = 'abcdefghijklmnopqrstuvwxyz234567';
    const route = parseRoute({ pathname: `/join/${code}/`, search: '' });
    expect(route).toEqual({ kind: 'join', code });
    expect(routePath(route)).toBe(`/join/${code}`);
    expect(parseRoute({ pathname: '/join/not-a-code', search: '' })).toEqual({ kind: 'home' });
  });

  it('does not throw on malformed escapes', () => {
    expect(parseRoute({ pathname: '/c/%E0%A4%A', search: '' })).toEqual({ kind: 'home' });
    expect(parseRoute({ pathname: '/join/%', search: '' })).toEqual({ kind: 'home' });
  });

  it('falls back to home for anything else, including bad ids', () => {
    expect(parseRoute({ pathname: '/', search: '' })).toEqual({ kind: 'home' });
    expect(parseRoute({ pathname: '/c/..%2Fuser', search: '' })).toEqual({ kind: 'home' });
    expect(parseRoute({ pathname: '/nope', search: '' })).toEqual({ kind: 'home' });
  });
});
