import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from './api-client.js';

function answering(status: number, body?: unknown): { fetch: Fetch; calls: Array<{ url: string; init: RequestInit }> } {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: Fetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { fetch, calls };
}

describe('ApiClient', () => {
  it('sends JSON with the same-origin cookie', async () => {
    const { fetch, calls } = answering(200, { id: 'u1', name: 'Ann', email: 'a@example.com' });
    const result = await new ApiClient(fetch).login({ email: 'a@example.com', password: 'secret123' });
    expect(result).toEqual({ ok: true, status: 200, value: { id: 'u1', name: 'Ann', email: 'a@example.com' } });
    expect(calls[0]?.url).toBe('/api/auth/login');
    expect(calls[0]?.init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect(new Headers(calls[0]?.init.headers).get('content-type')).toBe('application/json');
    expect(calls[0]?.init.body).toBe(JSON.stringify({ email: 'a@example.com', password: 'secret123' }));
  });

  it('passes the server’s error code and message through', async () => {
    const { fetch } = answering(403, { error: 'not_activated', message: 'Not activated yet.' });
    const result = await new ApiClient(fetch).login({ email: 'a@example.com', password: 'x' });
    expect(result).toEqual({ ok: false, status: 403, error: { error: 'not_activated', message: 'Not activated yet.' } });
  });

  it('reports a network failure as status 0', async () => {
    const result = await new ApiClient(async () => {
      throw new TypeError('Failed to fetch');
    }).me();
    expect(result).toMatchObject({ ok: false, status: 0, error: { error: 'network_error' } });
  });

  it('accepts 204 without a body', async () => {
    const { fetch } = answering(204);
    expect(await new ApiClient(fetch).logout()).toEqual({ ok: true, status: 204, value: undefined });
  });

  it('describes an answer that is not ours (a proxy’s 502 page)', async () => {
    const fetch: Fetch = async () => new Response('<html>Bad gateway</html>', { status: 502 });
    expect(await new ApiClient(fetch).me()).toMatchObject({ ok: false, status: 502, error: { error: 'network_error' } });
  });

  it('sends a picture as raw bytes with its own type', async () => {
    const { fetch, calls } = answering(201, { avatar: '/api/blobs/x' });
    const picture = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' });
    await new ApiClient(fetch).request('POST', '/api/me/avatar', picture);
    expect(new Headers(calls[0]?.init.headers).get('content-type')).toBe('image/webp');
    expect(calls[0]?.init.body).toBe(picture);
  });

  it('sends PATCH, PUT and DELETE', async () => {
    const { fetch, calls } = answering(204);
    const client = new ApiClient(fetch);
    await client.request('PATCH', '/api/me', { bio: 'hi' });
    await client.request('PUT', '/api/friends/u1/remark', { remark: 'x' });
    await client.request('DELETE', '/api/friends/u1');
    expect(calls.map((c) => c.init.method)).toEqual(['PATCH', 'PUT', 'DELETE']);
    expect(calls[2]?.init.body).toBeUndefined();
  });

  it('asks for a reset mail and sets a new password with the token', async () => {
    const { fetch, calls } = answering(200, { ok: true });
    const client = new ApiClient(fetch);
    await client.requestPasswordReset('a@example.com');
    await client.resetPassword('tok', 'new password');
    expect(calls.map((c) => [c.url, c.init.method, c.init.body])).toEqual([
      ['/api/auth/reset-request', 'POST', JSON.stringify({ email: 'a@example.com' })],
      ['/api/auth/reset', 'POST', JSON.stringify({ token: 'tok', password: 'new password' })],
    ]);
  });

  it('passes an expired reset link through as 410', async () => {
    const { fetch } = answering(410, { error: 'token_expired', message: 'This link has expired. Ask for a new one.' });
    const result = await new ApiClient(fetch).resetPassword('tok', 'new password');
    expect(result).toMatchObject({ ok: false, status: 410, error: { error: 'token_expired' } });
  });
});
