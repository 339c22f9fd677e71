/** The run as a plain-text table: our figure beside the reference's, their ratio and the target. */
import { describeTarget, verdict, type Row } from './rows.js';

const HEADERS = ['scenario', 'metric', 'Happy Chat', 'reference', 'ours/ref', 'target', ''];

export function formatValue(value: number | string | null, unit: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return '—';
  const digits =
    Math.abs(value) >= 100 || unit === 'count' || unit === 'per s' || unit === 'bytes' || unit === 'µs' ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const number = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === 'count' ? number : `${number} ${unit}`;
}

function ratioOf(row: Row): string {
  if (typeof row.reference !== 'number' || row.ours === null || row.reference === 0) return '';
  return `${(row.ours / row.reference).toFixed(2)}×`;
}

function mark(row: Row): string {
  const ok = verdict(row);
  return ok === null ? '' : ok ? 'ok' : 'MISS';
}

export function formatTable(rows: Row[]): string {
  const cells = rows.map((row) => [
    row.scenario,
    row.metric,
    formatValue(row.ours, row.unit),
    formatValue(row.reference, row.unit),
    ratioOf(row),
    describeTarget(row.target),
    mark(row),
  ]);
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (i >= 2 && i <= 4 ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  ')];
  let previous = '';
  for (const [i, row] of rows.entries()) {
    // The scenario name once per group reads better than repeated.
    const shown = [...cells[i]];
    if (row.scenario === previous) shown[0] = '';
    previous = row.scenario;
    out.push(line(shown));
  }
  const notes = rows.filter((row) => row.note).map((row) => `  ${row.scenario} / ${row.metric}: ${row.note}`);
  return [...out, '', 'Notes:', ...notes].join('\n');
}

/** The same rows as a Markdown table (for docs/PERFORMANCE.md). */
export function formatMarkdown(rows: Row[]): string {
  const out = ['| scenario | metric | Happy Chat | reference | ours/ref | target | |', '| --- | --- | ---: | ---: | ---: | --- | --- |'];
  let previous = '';
  for (const row of rows) {
    const scenario = row.scenario === previous ? '' : row.scenario;
    previous = row.scenario;
    out.push(
      `| ${scenario} | ${row.metric} | ${formatValue(row.ours, row.unit)} | ${formatValue(row.reference, row.unit)} | ${ratioOf(row)} | ${describeTarget(row.target)} | ${mark(row)} |`,
    );
  }
  return out.join('\n');
}
