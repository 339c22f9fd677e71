/**
 * `GET /metrics` on a port of its own (`METRICS_PORT`), never on the app's:
 * the app's port faces the internet, and metrics say how many people are on,
 * which documents are busy and how the store is doing. The listener binds to
 * loopback unless `METRICS_HOST` says otherwise, and a non-loopback address
 * must come with `METRICS_TOKEN` (a bearer token): the server refuses to
 * start rather than publish them by accident. docs/OPERATIONS.md, "Metrics".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsConfig {
  /** The metrics listener's port (0: any free one, as tests use); null: no listener (the default). */
  port: number | null;
  host: string;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

export const METRICS_PATH = '/metrics';

/** Reads `METRICS_PORT`, `METRICS_HOST` (default 127.0.0.1) and `METRICS_TOKEN`; throws on an exposed listener without a token. */
export function metricsConfigFromEnv(
  env: NodeJS.ProcessEnv,
  intFromEnv: (env: NodeJS.ProcessEnv, name: string, fallback: number) => number,
): MetricsConfig {
  const port = env.METRICS_PORT === undefined || env.METRICS_PORT === '' ? null : intFromEnv(env, 'METRICS_PORT', 0);
  const config: MetricsConfig = { port, host: env.METRICS_HOST || '127.0.0.1', token: env.METRICS_TOKEN || undefined };
  checkMetricsConfig(config);
  return config;
}

/** Refuses a listener on a non-loopback address without a token. */
export function checkMetricsConfig(config: MetricsConfig): void {
  if (config.port !== null && !isLoopback(config.host) && !config.token) {
    throw new Error(`METRICS_HOST=${config.host} exposes the metrics beyond this machine: set METRICS_TOKEN too`);
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface MetricsListener {
  /** `http://host:port/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the listener; `expose` gives the text of one scrape. */
export async function startMetricsListener(
  config: MetricsConfig & { port: number },
  expose: () => Promise<{ contentType: string; text: string }>,
  log: { error(message: string, context?: Record<string, unknown>): void },
): Promise<MetricsListener> {
  checkMetricsConfig(config);
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (config.token && !bearerMatches(request.headers.authorization, config.token)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('unauthorized\n');
      return;
    }
    expose().then(
      ({ contentType, text }) => response.writeHead(200, { 'content-type': contentType }).end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        log.error('collecting the metrics failed', { error: String(error) });
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Compares hashes, so the time taken says nothing about how much of the token was right. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
