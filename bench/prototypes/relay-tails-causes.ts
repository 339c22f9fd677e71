/**
 * Names what a relay's long turns were doing from its CPU profile, and charges slow deliveries to the causes
 * whose intervals overlap their wait (relay-tails.ts). A profile frame in our bundle is named by the source
 * module esbuild marks above it (`// sync-server/relay/room.ts`), one in a package by the package.
 */

export interface Interval {
  start: number;
  end: number;
}

/** What relay-tails-preload.mjs writes (CLOCK_MONOTONIC ms; the profile in V8's microseconds on the same clock). */
export interface Recording {
  startedAt: number;
  endedAt: number;
  longTurns: Interval[];
  gcs: Array<{ kind: string; start: number; ms: number }>;
  writes: Array<{ name: string; start: number; end: number }>;
  /** The write calls themselves on the main thread: how many, their ms, and those over 1 ms. */
  calls: { count: number; ms: number; slow: Array<{ name: string; start: number; end: number }> };
  delay: { p50: number; p99: number; max: number; count: number };
  profile: CpuProfile;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface TurnProfile extends Interval {
  /** The work most of its samples did. */
  name: string;
  /** Its samples by work, most first. */
  detail: string;
}

export interface Cause {
  name: string;
  intervals: Interval[];
}

export interface CauseRow {
  name: string;
  intervals: number;
  intervalMs: number;
  /** Slow deliveries whose wait overlapped at least one of the intervals. */
  overlapped: number;
  overlapMs: number;
  /** Slow deliveries for which this cause overlapped their wait the most (each delivery counted once). */
  largest: number;
}

/**
 * What a sample was doing, from its stack ("module:function" frames, root first): the first rule that matches
 * any frame wins, so work started by a participant or a compaction is named for it even when its leaf is Yjs
 * or LevelDB.
 */
const RULES: Array<[string, RegExp]> = [
  ['GC', /^:\(garbage collector\)$/],
  ['compaction (encodeStateAsUpdate and its write)', /relay\/room\.ts:(compact|compactionEnded)$/],
  ['heads rounds', /participants\/(head-writer|conversation-heads|head-table|head-hub|fill-shared-heads)\.ts:/],
  ['search indexing', /sync-server\/search\//],
  ['presence ticks', /(presence\/|presence-expiry|room-presence|awareness)/],
  ['other participants (sequencer, after-store)', /participants\//],
  ['store: group commit, LevelDB calls', /(store\/|classic-level|abstract-level)/],
  ['validator', /relay\/trust\//],
  ['room: apply, sequence, send', /relay\/(room|socket-room|send-queues|relay|frames|connection)\.ts:/],
  ['reference relay (y-websocket utils)', /@y\/websocket-server/],
  ['ws frames (receive, send)', /^ws:/],
  ['yjs / lib0', /^(yjs|lib0|y-protocols|@y\/[^:]+):/],
];

/** Names each long turn of `recording` by its samples; `bundle` is our relay's built source (null: the reference). */
export function namedTurns(recording: Recording, bundle: string | null): TurnProfile[] {
  const moduleAt = bundle ? bundleModules(bundle) : () => 'bundle';
  const { profile } = recording;
  const parent = new Map<number, number>();
  const frames = new Map<number, string>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
    const { functionName, url, lineNumber } = node.callFrame;
    frames.set(node.id, `${moduleOf(url, lineNumber, moduleAt)}:${functionName || '(anonymous)'}`);
  }
  const workOf = new Map<number, string>();
  const work = (id: number): string => {
    let named = workOf.get(id);
    if (named !== undefined) return named;
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.unshift(frames.get(at) ?? '');
    named = classify(stack);
    workOf.set(id, named);
    return named;
  };
  const samples: Array<{ at: number; work: string }> = [];
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    samples.push({ at: time / 1000, work: work(profile.samples[i]) });
  }
  return recording.longTurns.map((turn) => {
    const counts = new Map<string, number>();
    for (const sample of samples) {
      if (sample.at < turn.start || sample.at > turn.end || sample.work === 'idle') continue;
      counts.set(sample.work, (counts.get(sample.work) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    return {
      ...turn,
      name: ranked[0]?.[0] ?? 'no samples (off the CPU?)',
      detail: ranked.map(([name, n]) => `${name} ${n}`).join(', '),
    };
  });
}

function classify(stack: string[]): string {
  const leaf = stack.at(-1) ?? '';
  if (leaf === ':(idle)') return 'idle';
  if (leaf === ':(program)') return 'program (V8, native)';
  for (const [name, rule] of RULES) if (stack.some((frame) => rule.test(frame))) return name;
  const ours = [...stack].reverse().find((frame) => frame.startsWith('sync-server/') || frame.startsWith('shared/'));
  return ours ? ours.split(':')[0] : `other: ${leaf}`;
}

function moduleOf(url: string, line: number, moduleAt: (line: number) => string): string {
  if (!url) return '';
  if (url.includes('dist/bench-relay/')) return moduleAt(line);
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  return url.startsWith('node:') ? 'node' : url;
}

/** Line (0-based) → the source module esbuild bundled there. */
function bundleModules(bundle: string): (line: number) => string {
  const starts: Array<[number, string]> = [];
  bundle.split('\n').forEach((text, line) => {
    const match = /^\/\/ ((?:sync-server|shared|bench)\/\S+\.ts)$/.exec(text);
    if (match) starts.push([line, match[1]]);
  });
  return (line) => {
    let low = 0;
    let high = starts.length - 1;
    let found = 'bundle';
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  };
}

/** For each cause, the slow deliveries whose wait overlapped one of its intervals, and by how many ms in all. */
export function attribute(slow: Interval[], causes: Cause[]): CauseRow[] {
  const best = slow.map(() => ({ ms: 0, cause: -1 }));
  const rows = causes.map((cause, c) => {
    const intervals = [...cause.intervals].sort((a, b) => a.start - b.start);
    let overlapped = 0;
    let overlapMs = 0;
    for (const [d, delivery] of slow.entries()) {
      let ms = 0;
      for (const interval of intervals) {
        if (interval.start >= delivery.end) break;
        ms += Math.max(0, Math.min(interval.end, delivery.end) - Math.max(interval.start, delivery.start));
      }
      if (ms > best[d].ms) best[d] = { ms, cause: c };
      if (ms > 0) {
        overlapped++;
        overlapMs += ms;
      }
    }
    return {
      name: cause.name,
      intervals: intervals.length,
      intervalMs: intervals.reduce((sum, i) => sum + i.end - i.start, 0),
      overlapped,
      overlapMs,
      largest: 0,
    };
  });
  for (const { cause } of best) if (cause >= 0) rows[cause].largest++;
  const none = best.filter(({ cause }) => cause < 0).length;
  rows.sort((a, b) => b.overlapped - a.overlapped);
  rows.push({ name: 'none of these', intervals: 0, intervalMs: 0, overlapped: none, overlapMs: 0, largest: none });
  return rows;
}
