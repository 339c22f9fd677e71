/** Keeps each run as JSON in bench/results/<timestamp>.json, so runs can be compared. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Machine } from './machine.js';
import type { ScenarioResult } from './rows.js';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface RunRecord {
  startedAt: string;
  machine: Machine;
  /** The commit measured, and whether the tree had changes on top of it. */
  revision: string;
  passed: boolean;
  totalSeconds: number;
  /** 1-minute load average at the end (the start is in `machine`). */
  loadAverageAtEnd: number;
  scenarios: ScenarioResult[];
}

/** Writes the run; returns the file's path. */
export async function saveRun(run: RunRecord): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${run.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}
