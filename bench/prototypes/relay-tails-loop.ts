/**
 * The load client's own long turns and garbage collections (relay-tails.ts): a 1 ms timer that fires more than
 * 2 ms late marks a turn that held this process's loop, and a slow delivery that waited through one may have
 * waited on the load client, not the relay. Times are CLOCK_MONOTONIC ms, as the relay's preload records them.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';

export interface LoopRecording {
  longTurns: Array<{ start: number; end: number }>;
  gcs: Array<{ kind: string; start: number; ms: number }>;
}

const LATE_MS = 2;
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/** Starts and stops a recording of this process's loop; one at a time. */
export function loopRecorder(): { start(): void; stop(): LoopRecording } {
  const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
  const perfToMonotonic = monotonicMs() - performance.now();
  let recording: LoopRecording | null = null;
  let timer: NodeJS.Timeout | null = null;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other';
      recording?.gcs.push({ kind, start: entry.startTime + perfToMonotonic, ms: entry.duration });
    }
  });
  return {
    start() {
      const current: LoopRecording = { longTurns: [], gcs: [] };
      recording = current;
      observer.observe({ entryTypes: ['gc'] });
      let last = monotonicMs();
      timer = setInterval(() => {
        const now = monotonicMs();
        if (now - last > 1 + LATE_MS) current.longTurns.push({ start: last, end: now });
        last = now;
      }, 1);
    },
    stop() {
      if (timer) clearInterval(timer);
      observer.disconnect();
      const done = recording ?? { longTurns: [], gcs: [] };
      recording = null;
      return done;
    },
  };
}
