/**
 * The commit histogram of the server's metrics (server-metrics.ts): each
 * outcome is observed in its own series, through the children made once
 * per outcome.
 */
import { expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../testing/prometheus-text.js';
import { ServerMetrics } from './server-metrics.js';

it('counts each append in the series of its outcome, with its time', async () => {
  const metrics = new ServerMetrics({ processMetrics: false });
  metrics.committed('stored', 0.002);
  metrics.committed('stored', 0.004);
  metrics.committed('refused', 0.5);
  metrics.committed('error', 3);
  const families = parsePrometheusText(await metrics.registry.metrics());
  const outcomes = ['stored', 'refused', 'error'];
  expect(outcomes.map((outcome) => sampleValue(families, 'happychat_commit_seconds_count', { outcome }))).toEqual([2, 1, 1]);
  expect(outcomes.map((outcome) => sampleValue(families, 'happychat_commit_seconds_sum', { outcome }))).toEqual([0.006, 0.5, 3]);
});
