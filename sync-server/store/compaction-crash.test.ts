/**
 * A compaction is crash-safe: the merged entry and the deletion of the
 * entries it replaces are one LevelDB batch (level-document-log.ts), so a
 * process killed at any moment leaves the old log or the new one, never
 * half of each, and nothing acknowledged is lost. A child process appends
 * and compacts a segment-sized log after every append (the path of a closed
 * history segment, docs/SEGMENTS.md, "Loading a segment") and is SIGKILLed
 * at random moments; after each kill the log must load whole.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '../testing/seeded-random.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { Database } from './database.js';
import { LevelDocumentLog } from './level-document-log.js';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'testing', 'compacting-writer.ts');
const DOC = 'conv/crash~1';
const KILLS = 4;
/** A start of `node --import tsx` on a loaded machine, and the compactions to see before a kill. */
const STEP_TIMEOUT_MS = 60_000;
const COMPACTIONS_BEFORE_KILL = 3;

let dataDir = '';
beforeEach(async () => {
  dataDir = await makeTempDir('compaction-crash-');
});
afterEach(async () => {
  await removeDir(dataDir);
});

/** Runs the writer until it has compacted a few times, kills it `delayMs` later; returns the highest acknowledged key and the compactions seen. */
async function runAndKill(delayMs: number): Promise<{ acked: number; compactions: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, DOC], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let acked = -1;
  let compactions = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the writer did not compact in time: ${stderr}`)), STEP_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the writer exited (${code}): ${stderr}`));
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const [what, n] = line.split(' ');
        if (what === 'acked') acked = Math.max(acked, Number(n));
        if (what === 'compacted' && ++compactions === COMPACTIONS_BEFORE_KILL) {
          clearTimeout(timer);
          setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, delayMs);
        }
      });
    });
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  }
  return { acked, compactions };
}

it(
  'a process killed at random moments while it compacts a segment-sized log after every append loses nothing acknowledged',
  async () => {
    const seed = Math.floor(Math.random() * 1e6);
    const random = seededRandom(seed);
    for (let kill = 0; kill < KILLS; kill++) {
      const { acked } = await runAndKill(Math.floor(random() * 40));
      const db = await Database.open(dataDir);
      try {
        const stored = await new LevelDocumentLog(db).load(DOC);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, stored.update);
        const entries = doc.getMap<string>('entries');
        const missing = Array.from({ length: acked + 1 }, (_, i) => `k${i}`).filter((key) => !entries.has(key));
        expect(missing, `seed ${seed}, kill ${kill}: acknowledged keys lost`).toEqual([]);
        // Old log or new: the merged entry plus at most the appends after it, never both the entries and their merge.
        expect(stored.entries, `seed ${seed}, kill ${kill}`).toBeLessThanOrEqual(2);
      } finally {
        await db.close();
      }
    }
  },
  5 * 60_000,
);
