/** What a scenario hands to the report: table rows (ours beside the reference) and its raw figures. */

export type Unit = 'ms' | 'µs' | 'per s' | 'KiB' | 'MiB' | 'bytes' | 'count';

/** Where ours should land relative to the reference (or an absolute bound). */
export type Target =
  | { kind: 'at-most-ratio'; ratio: number }
  | { kind: 'at-least-ratio'; ratio: number }
  | { kind: 'at-most'; value: number };

export interface Row {
  scenario: string;
  metric: string;
  unit: Unit;
  /** Our relay (auth, membership, durable writes), or our client. */
  ours: number | null;
  /** The reference relay's figure, or why it has none. */
  reference: number | string | null;
  target?: Target;
  note?: string;
}

export interface ScenarioResult {
  name: string;
  rows: Row[];
  /** Everything measured, for bench/results/*.json. */
  raw: unknown;
  /** A loss, a duplicate, a refused connection…: the run fails. */
  failures: string[];
  /** Seconds the scenario took. */
  seconds?: number;
}

/** Whether `row` meets its target; null when it has none or a figure is missing. */
export function verdict(row: Row): boolean | null {
  const target = row.target;
  if (!target || row.ours === null || Number.isNaN(row.ours)) return null;
  if (target.kind === 'at-most') return row.ours <= target.value;
  if (typeof row.reference !== 'number' || row.reference === 0) return null;
  const ratio = row.ours / row.reference;
  return target.kind === 'at-most-ratio' ? ratio <= target.ratio : ratio >= target.ratio;
}

export function describeTarget(target: Target | undefined): string {
  if (!target) return '';
  if (target.kind === 'at-most-ratio') return target.ratio === 1 ? '≤ ref' : `≤ ${target.ratio}× ref`;
  if (target.kind === 'at-least-ratio') return `≥ ${target.ratio}× ref`;
  return `≤ ${target.value}`;
}

/** The p50 and p95 latency rows both relay scenarios report, each held to `ratio` × the reference. */
export function latencyTargetRows(
  scenario: string,
  ours: { p50: number; p95: number },
  reference: { p50: number; p95: number },
  ratio: number,
  runs: number,
): Row[] {
  const target: Target = { kind: 'at-most-ratio', ratio };
  return [
    { scenario, metric: 'latency p50', unit: 'ms', ours: ours.p50, reference: reference.p50, target, note: `median of ${runs} runs` },
    { scenario, metric: 'latency p95', unit: 'ms', ours: ours.p95, reference: reference.p95, target },
  ];
}
