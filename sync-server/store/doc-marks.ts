/**
 * How far each document's log was acknowledged, kept outside LevelDB
 * (`DATA_DIR/doc-marks.json`), so the store check can tell when LevelDB
 * came back with less than it had confirmed: a truncated or garbled `.log`
 * is replayed silently up to the damage, and a mark kept in the same log
 * would be lost with it. Marks are written at most once a second (and at a
 * clean stop), so damage that loses only the last second of writes before a
 * crash can go unnoticed; a log damaged after a clean stop is always caught.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../config.js';

const FILE_NAME = 'doc-marks.json';
const FLUSH_EVERY_MS = 1_000;

interface MarksFile {
  version: 1;
  /** Document name → the clock its next append will use (all below it were acknowledged). */
  docs: Record<string, number>;
}

export class DocMarks {
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly marks: Map<string, number>,
    private readonly log: Logger,
  ) {}

  /** Reads the marks of `dataDir` (none yet, or an unreadable file: starts empty and says so). */
  static async load(dataDir: string, log: Logger): Promise<DocMarks> {
    const file = path.join(dataDir, FILE_NAME);
    const marks = new Map<string, number>();
    let text: string | null = null;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT')
        log.warn('could not read the document marks; the store check cannot compare against them', { file, error: String(error) });
    }
    if (text !== null) {
      const parsed = parseMarks(text);
      if (parsed) for (const [name, clock] of Object.entries(parsed.docs)) marks.set(name, clock);
      else log.warn('the document marks file is damaged; starting it again', { file });
    }
    return new DocMarks(file, marks, log);
  }

  /** The acknowledged end (next clock) of each document. */
  get all(): ReadonlyMap<string, number> {
    return this.marks;
  }

  /** Records that `docName`'s log is stored up to (not including) `nextClock`. */
  note(docName: string, nextClock: number): void {
    this.marks.set(docName, nextClock);
    this.dirty = true;
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, FLUSH_EVERY_MS);
    this.flushTimer.unref();
  }

  /** Writes the marks if they changed (atomically: a temp file renamed over the old one). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.dirty) return;
    this.dirty = false;
    const content: MarksFile = { version: 1, docs: Object.fromEntries(this.marks) };
    this.flushing = (async () => {
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        await writeFile(`${this.file}.tmp`, JSON.stringify(content));
        await rename(`${this.file}.tmp`, this.file);
      } catch (error) {
        // A full disk: try again with the next write; the store's own health reports the disk.
        this.dirty = true;
        this.log.warn('could not write the document marks', { error: String(error) });
      }
    })().finally(() => (this.flushing = null));
    await this.flushing;
  }

  /** Stops the timer and writes what is pending (clean stop). */
  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.flush();
  }
}

function parseMarks(text: string): MarksFile | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const docs = (value as { docs?: unknown }).docs;
    if (typeof docs !== 'object' || docs === null) return null;
    const entries = Object.entries(docs as Record<string, unknown>);
    if (!entries.every(([, clock]) => Number.isSafeInteger(clock) && (clock as number) >= 0)) return null;
    return { version: 1, docs: Object.fromEntries(entries) as Record<string, number> };
  } catch {
    return null;
  }
}
