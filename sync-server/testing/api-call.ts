/** Calls the HTTP API as our own page would: same Origin, JSON, the person's session cookie. */
import type { RunningServer } from '../server.js';
import type { ServerAddress } from './server-address.js';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the API like our own page would (same Origin), with an optional session cookie. */
export async function api<T = unknown>(
  server: ServerAddress | RunningServer,
  method: string,
  route: string,
  options: { body?: unknown; cookie?: string; origin?: string | null; language?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  if (options.language) headers['accept-language'] = options.language;
  if (options.origin !== null) headers.origin = options.origin ?? server.url;
  const response = await fetch(server.url + route, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}
