/**
 * Test fixtures written once: a real server on 127.0.0.1:0 with a temp
 * DATA_DIR, people registered and activated through the real API and the
 * real outbox mail, and real y-websocket clients.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Me } from '../../shared/api.js';
import { loadConfig, type Logger, type ServerConfig } from '../config.js';
import { startServer, type RunningServer } from '../server.js';

export const quietLogger: Logger = process.env.TEST_LOG ? { info: console.log, warn: console.warn, error: console.error } : { info() {}, warn() {}, error() {} };

export async function makeTempDir(prefix = 'happy-chat-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function startTestServer(overrides: Partial<ServerConfig> & { dataDir: string }): Promise<RunningServer> {
  const config = loadConfig(
    {},
    { port: 0, host: '127.0.0.1', docUnloadGraceMs: 50, log: quietLogger, clientDir: path.join(overrides.dataDir, 'no-client'), ...overrides },
  );
  // The public URL must name the real port, which is only known after listening.
  const server = await startServer(config);
  config.publicUrl = server.url;
  return server;
}

/** What tests need to reach a server, in this process or a child process. */
export interface ServerAddress {
  url: string;
  dataDir: string;
}

export function addressOf(server: RunningServer): ServerAddress {
  return { url: server.url, dataDir: server.context.config.dataDir };
}

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
  options: { body?: unknown; cookie?: string; origin?: string | null } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin !== null) headers.origin = options.origin ?? server.url;
  const response = await fetch(server.url + route, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** The activation link of the newest outbox mail to `email`. */
export function activationLinkFromOutbox(dataDir: string, email: string): Promise<string> {
  return linkFromOutbox(dataDir, email, '/activate');
}

/** The link to `route` (e.g. '/reset') in the newest outbox mail to `email`. */
export async function linkFromOutbox(dataDir: string, email: string, route: string): Promise<string> {
  const outbox = path.join(dataDir, 'outbox');
  const files = (await readdir(outbox)).filter((f) => f.endsWith(`-${email}.eml`)).sort();
  const newest = files.at(-1);
  if (!newest) throw new Error(`no mail to ${email} in ${outbox}`);
  const mail = await simpleParser(await readFile(path.join(outbox, newest)));
  const match = new RegExp(`https?://[^\\s"<>]+${route}\\?token=[A-Za-z0-9%]+`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${route} link in the mail`);
  return match[0];
}

export function extractActivationLink(mailText: string): string {
  const match = /https?:\/\/[^\s"<>]+\/activate\?token=[A-Za-z0-9%]+/.exec(mailText);
  if (!match) throw new Error('no activation link in the mail');
  return match[0];
}

export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

export interface TestUser extends Me {
  password: string;
  cookie: string;
}

let userCounter = 0;

/** Registers, activates (from the outbox mail) and signs in a new person. */
export async function createUser(server: ServerAddress | RunningServer, name = `Person ${++userCounter}`): Promise<TestUser> {
  const email = `user${Date.now()}${++userCounter}@example.com`;
  const password = 'correct horse battery';
  const registered = await api(server, 'POST', '/api/auth/register', { body: { name, email, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const dataDir = 'context' in server ? server.context.config.dataDir : server.dataDir;
  const link = await activationLinkFromOutbox(dataDir, email);
  const activated = await api(server, 'POST', '/api/auth/activate', { body: { token: tokenOf(link) } });
  if (activated.status !== 200) throw new Error(`activate failed: ${activated.status}`);
  return signIn(server, email, password);
}

export async function signIn(server: ServerAddress | RunningServer, email: string, password: string): Promise<TestUser> {
  const response = await fetch(server.url + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  const me = (await response.json()) as Me;
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  return { ...me, password, cookie };
}

/** A y-websocket client in Node that sends the person's cookie, as a browser would. */
export function cookieWebSocket(cookie: string) {
  return class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  };
}

export interface SyncedClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/** Opens a document as a person would, through the stock y-websocket provider. */
export function openDoc(
  server: ServerAddress | RunningServer,
  user: Pick<TestUser, 'cookie'>,
  docName: string,
  doc = new Y.Doc(),
  options: { maxBackoffTime?: number } = {},
): SyncedClient {
  const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + '/sync', docName, doc, {
    WebSocketPolyfill: cookieWebSocket(user.cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...options,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * Resolves when `predicate` holds, checking after each update of `docs` (one
 * document or several); fails after `timeoutMs`.
 */
export function waitFor(docs: Y.Doc | readonly Y.Doc[], predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const watched = docs instanceof Y.Doc ? [docs] : docs;
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const stop = () => {
      clearTimeout(timer);
      for (const doc of watched) doc.off('update', check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    function check(): void {
      if (!predicate()) return;
      stop();
      resolve();
    }
    for (const doc of watched) doc.on('update', check);
  });
}

/** Resolves once the client's provider has synced with the relay (at once if it has). */
export function whenSynced(client: SyncedClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.provider.synced) return resolve();
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      client.provider.off('sync', onSync);
      resolve();
    };
    client.provider.on('sync', onSync);
  });
}

/** Collects every close code the client's provider sees from now on (0: closed on our side), to prove none was a refusal. */
export function closeCodesOf(client: SyncedClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event) => codes.push(event?.code ?? 0));
  return codes;
}

/** Resolves with the close code when a raw socket to `docName` closes. */
export function closeCodeOf(socket: WebSocket, timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
    socket.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

export function rawSocket(server: RunningServer, docName: string, headers: Record<string, string> = {}): WebSocket {
  return new WebSocket(server.url.replace(/^http/, 'ws') + '/sync/' + docName, { headers });
}

/** Makes two people friends the way people do: a request, then an accept. */
export async function befriend(server: ServerAddress | RunningServer, a: TestUser, b: TestUser): Promise<void> {
  const request = await api<{ id: string }>(server, 'POST', '/api/friends/requests', { cookie: a.cookie, body: { email: b.email, note: 'hi' } });
  if (request.status !== 201) throw new Error(`friend request failed: ${request.status} ${JSON.stringify(request.body)}`);
  const accepted = await api(server, 'POST', `/api/friends/requests/${request.body.id}/accept`, { cookie: b.cookie });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

/** Befriends two people and returns their direct conversation's id. */
export async function directConversation(server: ServerAddress | RunningServer, a: TestUser, b: TestUser): Promise<string> {
  await befriend(server, a, b);
  const created = await api<{ id: string }>(server, 'POST', '/api/conversations', { cookie: a.cookie, body: { kind: 'direct', email: b.email } });
  if (created.status !== 201) throw new Error(`conversation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}
