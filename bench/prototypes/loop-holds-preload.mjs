/**
 * Preload (NODE_OPTIONS="--import <this file>") for a bench's relays: notes
 * every time the main thread was held between two ticks of a 100 ms interval
 * for longer than `LOOP_HOLDS_MIN_MS` (default 500), and every stderr line
 * about the lease, the bus' publishes or an edge's forward, into
 * `LOOP_HOLDS_DIR/<pid>` (default /tmp/loop-holds), one JSON line each, as
 * they happen (relays are SIGKILLed at the end). Issue 11, session 15: how
 * long a loaded relay is held, beside the timeouts that judged it
 * (docs/SCALING.md, "Timeouts").
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dir = process.env.LOOP_HOLDS_DIR ?? '/tmp/loop-holds';
const minMs = Number(process.env.LOOP_HOLDS_MIN_MS ?? 500);
const periodMs = 100;
mkdirSync(dir, { recursive: true });
const file = path.join(dir, String(process.pid));
const note = (entry) => appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...entry })}\n`);
note({ start: process.argv.slice(1).join(' ') });

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const heldMs = now - last - periodMs;
  last = now;
  if (heldMs >= minMs) note({ heldMs: Math.round(heldMs) });
}, periodMs).unref();

const watched = /lease|PUBLISH|forwarding|unreachable/;
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  const text = String(chunk);
  if (watched.test(text)) note({ stderr: text.trim().slice(0, 400) });
  return write(chunk, ...rest);
};
