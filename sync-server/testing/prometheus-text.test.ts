/** The exposition reader the metrics tests trust: it must refuse what a Prometheus server would. */
import { expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

const GOOD = `# HELP up_total Things.
# TYPE up_total counter
up_total{rule="a",x="q\\"uote"} 3
up_total{rule="b"} 0
# TYPE lag gauge
lag NaN
# TYPE t_seconds histogram
t_seconds_bucket{le="0.1",outcome="stored"} 1
t_seconds_bucket{le="+Inf",outcome="stored"} 2
t_seconds_sum{outcome="stored"} 0.3
t_seconds_count{outcome="stored"} 2
`;

it('reads a valid exposition: families, labels with escapes, special values, histograms', () => {
  const families = parsePrometheusText(GOOD);
  expect(families.get('up_total')?.type).toBe('counter');
  expect(families.get('up_total')?.help).toBe('Things.');
  expect(sampleValue(families, 'up_total', { rule: 'a', x: 'q"uote' })).toBe(3);
  expect(sampleValue(families, 'up_total', { rule: 'b' })).toBe(0);
  expect(Number.isNaN(sampleValue(families, 'lag'))).toBe(true);
  expect(sampleValue(families, 't_seconds_count', { outcome: 'stored' })).toBe(2);
});

it.each([
  ['no final line feed', GOOD.trimEnd()],
  ['a value that is not a number', '# TYPE a gauge\na one\n'],
  ['a bad metric name', '# TYPE 1a gauge\n1a 1\n'],
  ['an unquoted label', '# TYPE a gauge\na{x=1} 1\n'],
  ['a label twice', '# TYPE a gauge\na{x="1",x="2"} 1\n'],
  ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
  ['a family split in two', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# HELP a again\n'],
  ['a sample of another family', '# TYPE a gauge\nb 1\n'],
  ['a histogram whose +Inf is not its count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
  ['buckets that are not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n'],
])('refuses %s', (_why, text) => {
  expect(() => parsePrometheusText(text)).toThrow();
});
