// A preload for relay-tails.ts in both relays under test (NODE_OPTIONS="--import <this file>"): over a window
// opened and closed by SIGUSR2, a timestamped list of the event loop's long turns (a 1 ms timer that fired late),
// the loop's delay histogram (monitorEventLoopDelay), every garbage collection with its kind and pause, LevelDB's
// write calls (their time on the main thread, and queued -> resolved; our relay only) and V8's CPU profile (samples every 250 us), so the driver
// can say what the relay was doing while a slow delivery waited. Every time is CLOCK_MONOTONIC in ms (process.hrtime,
// the clock V8's profile uses too), comparable across the relay and the load client.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { PerformanceObserver, constants, monitorEventLoopDelay, performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const OUT = process.env.RELAY_TAILS_OUT;
if (!OUT) throw new Error('relay-tails-preload: RELAY_TAILS_OUT names the file to write');
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
/** performance.now() (the gc entries' clock) -> CLOCK_MONOTONIC ms. */
const perfToMonotonic = monotonicMs() - performance.now();
/** A 1 ms timer that fires this much later than due marks a turn (or turns) that held the loop. */
const LATE_MS = 2;
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const WRITES = ['db_put', 'db_del', 'batch_do', 'batch_write'];

let recording = null;

new PerformanceObserver((list) => {
  if (!recording) return;
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? 'other';
    recording.gcs.push({ kind, start: entry.startTime + perfToMonotonic, ms: entry.duration });
  }
}).observe({ entryTypes: ['gc'] });

try {
  // Called through the module object at each call, so wrapping its properties times every write (store-counters.ts does the same).
  const binding = require('classic-level/binding.js');
  for (const name of WRITES) {
    const original = binding[name];
    binding[name] = (...args) => {
      const start = monotonicMs();
      const result = original(...args);
      if (recording) {
        // The call itself, on the main thread: handing the job to libuv's pool.
        const callMs = monotonicMs() - start;
        recording.calls.count++;
        recording.calls.ms += callMs;
        if (callMs > 1) recording.calls.slow.push({ name, start, end: start + callMs });
      }
      if (recording && result && typeof result.then === 'function') {
        const writes = recording.writes;
        result.then(
          () => writes.push({ name, start, end: monotonicMs() }),
          () => {},
        );
      }
      return result;
    };
  }
} catch {
  // The reference has no LevelDB.
}

let last = monotonicMs();
setInterval(() => {
  const now = monotonicMs();
  if (recording && now - last > 1 + LATE_MS) recording.longTurns.push({ start: last, end: now });
  last = now;
}, 1);

const session = new Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
await post('Profiler.enable');
await post('Profiler.setSamplingInterval', { interval: 250 });

process.on('SIGUSR2', async () => {
  if (!recording) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    // Started first: starting the profiler holds the loop for a while (~300 ms), not a turn of the relay's.
    await post('Profiler.start');
    last = monotonicMs();
    recording = { startedAt: last, longTurns: [], gcs: [], writes: [], calls: { count: 0, ms: 0, slow: [] }, delay };
    return;
  }
  const { profile } = await post('Profiler.stop');
  const done = recording;
  recording = null;
  done.delay.disable();
  const ms = (ns) => ns / 1e6;
  const delay = {
    p50: ms(done.delay.percentile(50)),
    p99: ms(done.delay.percentile(99)),
    max: ms(done.delay.max),
    count: done.delay.count,
  };
  writeFileSync(OUT, JSON.stringify({ ...done, endedAt: monotonicMs(), delay, profile }));
});
