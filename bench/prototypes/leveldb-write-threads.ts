/**
 * What one LevelDB write costs on each group of threads (issue 14, session 11):
 * `npx tsx bench/prototypes/leveldb-write-threads.ts <n> put|batch|none|fs`, with
 * `PACE_MS=2` to wait between writes as paced chat traffic does (a sleeping
 * pool thread woken for each write) instead of writing back to back.
 */
import { ClassicLevel } from 'classic-level';
import { rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { THREAD_GROUPS, threadGroups, ticksByGroup } from '../servers/thread-groups.js';
const n = Number(process.argv[2] ?? 5000);
const mode = process.argv[3] ?? 'put';
const dir = mkdtempSync(path.join(os.tmpdir(), 'a14-put-'));
const db = new ClassicLevel<string, Uint8Array>(dir, {
  valueEncoding: 'view',
  ...(process.argv[4] === 'big' ? { writeBufferSize: 32 << 20 } : {}),
});
await db.open();
const value = new Uint8Array(560).fill(7);
const groups = await threadGroups();
const before = ticksByGroup(process.pid, groups);
const t0 = performance.now();
const paceMs = Number(process.env.PACE_MS ?? 0);
for (let i = 0; i < n; i++) {
  if (paceMs > 0) await new Promise((r) => setTimeout(r, paceMs));
  const key = `conv/abcdefghijklmnopqrstuv!${String(i).padStart(10, '0')}`;
  if (mode === 'put') await db.put(key, value);
  else if (mode === 'batch') await db.batch([{ type: 'put', key, value }]);
  else if (mode === 'none') await new Promise((r) => setImmediate(r));
  else if (mode === 'fs') await import('node:fs/promises').then((fs) => fs.stat(dir));
}
const after = ticksByGroup(process.pid, await threadGroups());
console.log(
  mode,
  n,
  'wall',
  (((performance.now() - t0) * 1000) / n).toFixed(1),
  'µs/op',
  THREAD_GROUPS.map((g) => `${g} ${(((after[g] - before[g]) * 10000) / n).toFixed(1)}`).join(', '),
);
await db.close();
rmSync(dir, { recursive: true });
