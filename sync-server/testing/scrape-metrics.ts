/** Scrapes a test server's `/metrics` and parses it strictly (prometheus-text.ts). */
import { expect } from 'vitest';
import type { RunningServer } from '../server.js';
import { type MetricFamily, parsePrometheusText } from './prometheus-text.js';

/** One scrape: 200, the exposition's Content-Type, and a valid exposition. */
export async function scrapeMetrics(server: RunningServer, headers: Record<string, string> = {}): Promise<Map<string, MetricFamily>> {
  if (!server.metricsUrl) throw new Error('the server has no metrics listener (set metrics.port)');
  const response = await fetch(server.metricsUrl, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/**
 * Scrapes every 50 ms until `holds`, at most `timeoutMs`: some values move on
 * their own time (a lease renewal, a reconnect, a socket the server has not
 * seen close yet), and a scrape is the only way to watch them.
 */
export async function scrapeUntil(
  server: RunningServer,
  holds: (families: Map<string, MetricFamily>) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<Map<string, MetricFamily>> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; round <= timeoutMs / 50; round++) {
    const families = await scrapeMetrics(server);
    if (holds(families)) return families;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the metrics never showed ${what} within ${timeoutMs} ms`);
}
