/**
 * The store check, run in the background at every start and by
 * `npm run admin -- check`: does the store still hold what it acknowledged?
 *
 * - LevelDB's own report of the open: log records it dropped as unreadable.
 * - Every key and value of every sublevel is read (a damaged table block
 *   surfaces as an error; a value that no longer decodes too).
 * - Every document (from its log, its conversation or account, its mark) is
 *   loaded on its own: readable, clocks without gaps, each update decodes
 *   with Yjs, nothing depends on a change that is missing, and the log
 *   reaches the mark of what was acknowledged (doc-marks.ts).
 *
 * It reads only. What it cannot see is written in docs/OPERATIONS.md.
 */
import * as Y from 'yjs';
import type { Logger } from '../config.js';
import type { Database, StoreSublevel } from './database.js';
import { logRange, parseLogKey } from './keys.js';

export interface StoreProblem {
  /** The document affected, when the damage is in one. */
  doc?: string;
  /** Where it was found: `leveldb`, a sublevel's name, or `document`. */
  area: string;
  problem: string;
}

export interface StoreReport {
  documents: number;
  keys: number;
  problems: StoreProblem[];
  /** Findings that are not damage, e.g. leftovers of an older version; logged as warnings, not failing the check. */
  notes: StoreProblem[];
  /** True when the store was closed before the check ended (server stopping). */
  interrupted: boolean;
}

/** Checks the whole store; resolves with what is wrong (an empty `problems` when nothing is). */
export async function checkStore(db: Database): Promise<StoreReport> {
  const report: StoreReport = { documents: 0, keys: 0, problems: [], notes: [], interrupted: false };
  for (const warning of db.openWarnings) report.problems.push({ area: 'leveldb', problem: `dropped at open: ${warning}` });
  const docNames = new Set<string>();
  try {
    for (const sublevel of db.sublevels) {
      const name = sublevel.path().join('/');
      const onKey = name === 'docs' ? (key: string) => docNames.add(parseLogKey(key)?.docName ?? key) : undefined;
      await scanSublevel(sublevel, name, report, onKey);
    }
    for (const id of await keysOrNothing(db.convs)) docNames.add(`conv/${id}`);
    for (const id of await keysOrNothing(db.users)) docNames.add(`user/${id}`);
    for (const name of db.marks.all.keys()) docNames.add(name);
    for (const docName of [...docNames].sort()) {
      await checkDocument(db, docName, report);
      report.documents++;
      // Yield between documents: at start this runs beside a server that serves people.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    if (db.root.status !== 'open') report.interrupted = true;
    else throw error;
  }
  return report;
}

/** Logs the report: every problem at error level naming its document, or one line that all is well. */
export function logStoreReport(report: StoreReport, log: Logger): void {
  if (report.interrupted) return log.warn('the store check was interrupted (the store closed)');
  for (const note of report.notes) log.warn(`store check: ${note.doc ?? note.area}: ${note.problem}`);
  if (report.problems.length === 0) return log.info('store check: no damage found', { documents: report.documents, keys: report.keys });
  const docs = [...new Set(report.problems.flatMap((p) => (p.doc ? [p.doc] : [])))];
  log.error(`store check: THE STORE IS DAMAGED (${report.problems.length} problems); see docs/OPERATIONS.md "Restore"`, {
    documents: docs,
  });
  for (const problem of report.problems) log.error(`store check: ${problem.doc ?? problem.area}: ${problem.problem}`);
}

/** Prints the report for an operator; one line per problem. */
export function formatStoreReport(report: StoreReport): string {
  const lines = [`checked ${report.keys} keys and ${report.documents} documents`];
  if (report.interrupted) lines.push('INTERRUPTED: the store was closed during the check');
  for (const note of report.notes) lines.push(`note ${note.doc ?? note.area}: ${note.problem}`);
  for (const problem of report.problems) lines.push(`DAMAGED ${problem.doc ?? problem.area}: ${problem.problem}`);
  lines.push(report.problems.length === 0 && !report.interrupted ? 'no damage found' : `${report.problems.length} problems found`);
  return lines.join('\n');
}

async function scanSublevel(sublevel: StoreSublevel, name: string, report: StoreReport, onKey?: (key: string) => void): Promise<void> {
  let lastKey = '';
  try {
    for await (const [rawKey] of sublevel.iterator()) {
      const key = String(rawKey);
      lastKey = key;
      report.keys++;
      onKey?.(key);
    }
  } catch (error) {
    if (isClosed(error)) throw error;
    report.problems.push({ area: name, problem: `unreadable after key "${lastKey}": ${describeError(error)}` });
  }
}

async function keysOrNothing(sublevel: Database['convs'] | Database['users']): Promise<string[]> {
  try {
    return await sublevel.keys().all();
  } catch (error) {
    if (isClosed(error)) throw error;
    return []; // already reported by the scan
  }
}

async function checkDocument(db: Database, docName: string, report: StoreReport): Promise<void> {
  const clocks: number[] = [];
  const updates: Uint8Array[] = [];
  // Read before the log: a mark is noted after its write, so the log read next holds at least this much.
  const mark = db.marks.all.get(docName);
  try {
    for await (const [key, value] of db.docs.iterator(logRange(docName))) {
      clocks.push(parseLogKey(key)?.clock ?? NaN);
      updates.push(value);
    }
  } catch (error) {
    if (isClosed(error)) throw error;
    report.problems.push({
      doc: docName,
      area: 'document',
      problem: `unreadable after clock ${clocks.at(-1) ?? 'none'}: ${describeError(error)}`,
    });
    return;
  }
  for (let i = 1; i < clocks.length; i++) {
    if (clocks[i] !== clocks[i - 1] + 1)
      report.problems.push({ doc: docName, area: 'document', problem: `updates ${clocks[i - 1] + 1} to ${clocks[i] - 1} are missing` });
  }
  const end = (clocks.at(-1) ?? -1) + 1;
  if (mark !== undefined && end < mark) {
    report.problems.push({
      doc: docName,
      area: 'document',
      problem: `ends at clock ${end} but ${mark} were acknowledged: the last ${mark - end} writes are lost`,
    });
  }
  const doc = new Y.Doc();
  try {
    updates.forEach((update, i) => {
      try {
        Y.applyUpdate(doc, update);
      } catch (error) {
        report.problems.push({
          doc: docName,
          area: 'document',
          problem: `update at clock ${clocks[i]} does not decode: ${describeError(error)}`,
        });
      }
    });
    // Logs compacted by older versions may hold such leftovers (a room drops them at load); with a gap above, it is damage.
    if (doc.store.pendingStructs || doc.store.pendingDs) {
      report.notes.push({
        doc: docName,
        area: 'document',
        problem: 'holds changes whose predecessors are missing (dropped when the document loads)',
      });
    }
  } finally {
    doc.destroy();
  }
}

function isClosed(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'LEVEL_DATABASE_NOT_OPEN' || code === 'LEVEL_ITERATOR_NOT_OPEN';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
