/**
 * Brings the server's search index up to date with every stored
 * conversation in the background at start (issue 18). A conversation is
 * otherwise indexed whole only when it next loads (search-indexer.ts), so
 * after an upgrade that changed the index's layout (INDEX_VERSION), or a
 * crash before an index write, a conversation nobody opens again would be
 * missing from search.
 *
 * It walks the stored documents in name order (`StoredDocuments`) and
 * loads each whose index is behind its log (not current at this version,
 * or `indexedThrough` below the log's next clock) as a room through the
 * registry, as a socket would: the indexer's own whole indexing runs, in
 * order with the index write queue, so edits, deletes and live writes stay
 * ordered. Once that indexing ran, the room is released and unloads after
 * the usual grace.
 *
 * Bounded: `concurrency` documents at once, at most `maxResident` of its
 * loaded documents in memory (it waits for unloads), `perPass` documents
 * or `passMs` per pass, then a pause of `pauseMs` for live traffic. Resumable:
 * nothing is kept of its progress but the index's own records, so after a
 * restart it walks again and skips what is done. Stops at `stop()`
 * (shutdown) after the documents in hand. A cluster's documents are not
 * walked (server.ts starts this only for LevelDB's): a relay indexes whole
 * a document whose clock is behind as it loads it.
 */
import type { Logger } from '../config.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { Database } from '../store/database.js';
import { logRange, parseLogKey, prefixRange } from '../store/keys.js';
import type { MessageIndex } from './message-index.js';
import type { SearchIndexer } from './search-indexer.js';

export interface SearchCatchUpOptions {
  /** Documents loaded and indexed at once. */
  concurrency: number;
  /** Documents this catch-up loaded that may be in memory at once (released ones wait for their unload). */
  maxResident: number;
  /** Documents brought up to date per pass; 0 turns the catch-up off (a test of what a load alone does). */
  perPass: number;
  /** Most time a pass starts documents for. */
  passMs: number;
  /** The pause between passes, for live traffic. */
  pauseMs: number;
  /** Told each document once its index is up to date (tests). */
  onCaughtUp?: (docName: string) => void;
}

export const SEARCH_CATCH_UP_DEFAULTS: SearchCatchUpOptions = {
  concurrency: 2,
  maxResident: 20,
  perPass: 100,
  passMs: 5_000,
  pauseMs: 1_000,
};

/** A stored document and the clock its log's next append will use. */
export interface StoredDocument {
  docName: string;
  nextClock: number;
}

/** The stored documents to walk, in name order, after `after` (from the first when null). */
export type StoredDocuments = (after: string | null) => AsyncIterable<StoredDocument>;

/** What one pass did. */
export interface CatchUpPass {
  /** Documents whose index was looked at. */
  checked: number;
  /** Documents loaded and indexed. */
  caughtUp: number;
  /** Documents whose loading failed (they are indexed when they next load, or at the next start). */
  failed: number;
  /** Most of its own loaded documents in memory at once (`maxResident` bounds it). */
  peakResident: number;
  /** Most documents the registry held at once while this pass loaded some (its loads bring others: heads to members' documents). */
  peakLoaded: number;
}

/** The conversation documents (`conv/<id>` and its segments `conv/<id>~<n>`) of the LevelDB log, one key read and one seek each. */
export function levelConversationDocuments(db: Database): StoredDocuments {
  const all = prefixRange('conv/');
  return async function* (after) {
    let from = after === null ? all.gte : (logRange(after).lt ?? null);
    while (from !== null) {
      const [first] = await db.docs.keys({ gte: from, lt: all.lt, limit: 1 }).all();
      const docName = first === undefined ? null : parseLogKey(first)?.docName;
      if (!docName) return;
      const [last] = await db.docs.keys({ ...logRange(docName), reverse: true, limit: 1 }).all();
      yield { docName, nextClock: (parseLogKey(last ?? '')?.clock ?? -1) + 1 };
      from = logRange(docName).lt ?? null;
    }
  };
}

export class SearchCatchUp {
  private readonly options: SearchCatchUpOptions;
  private stopped = false;
  private running: Promise<void> | null = null;
  private wakePause: (() => void) | null = null;
  /** Documents this catch-up loaded and released that are still loaded. */
  private readonly resident = new Set<string>();
  private wakeResident: (() => void) | null = null;
  private readonly passWaiters: Array<{ count: number; resolve: () => void }> = [];
  /** Every pass so far. */
  readonly passes: CatchUpPass[] = [];
  /** True once every stored document was walked (or it was stopped). */
  finished = false;

  constructor(
    private readonly deps: {
      registry: DocRegistry;
      index: MessageIndex;
      indexer: SearchIndexer;
      documents: StoredDocuments;
      log: Logger;
    },
    options: Partial<SearchCatchUpOptions> = {},
  ) {
    this.options = { ...SEARCH_CATCH_UP_DEFAULTS, ...options };
  }

  /** Starts walking in the background (once). */
  start(): void {
    if (this.running || this.stopped) return;
    if (this.options.perPass <= 0) {
      this.finished = true;
      return;
    }
    const unsubscribe = this.deps.registry.onUnload((docName) => {
      if (this.resident.delete(docName)) this.wakeResident?.();
    });
    this.running = this.walk()
      .catch((error: unknown) => this.deps.log.error('the search catch-up stopped on an error', { error: String(error) }))
      .finally(() => {
        unsubscribe();
        this.finished = true;
        for (const waiter of this.passWaiters.splice(0)) waiter.resolve();
      });
  }

  /** Stops after the documents in hand (shutdown); resolves when they are released. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakePause?.();
    this.wakeResident?.();
    await this.running;
  }

  /** Resolves once `count` passes are done, or the walk ended. */
  whenPasses(count: number): Promise<void> {
    if (this.passes.length >= count || this.finished) return Promise.resolve();
    return new Promise((resolve) => this.passWaiters.push({ count, resolve }));
  }

  private async walk(): Promise<void> {
    const { log } = this.deps;
    const started = Date.now();
    const iterator = this.deps.documents(null)[Symbol.asyncIterator]();
    let total = 0;
    let done = false;
    try {
      while (!done && !this.stopped) {
        const pass: CatchUpPass = { checked: 0, caughtUp: 0, failed: 0, peakResident: 0, peakLoaded: this.deps.registry.loadedCount };
        const passEnds = Date.now() + this.options.passMs;
        const inFlight = new Set<Promise<void>>();
        while (!this.stopped && pass.caughtUp + pass.failed + inFlight.size < this.options.perPass && Date.now() < passEnds) {
          const next = await iterator.next();
          if (next.done) {
            done = true;
            break;
          }
          pass.checked++;
          if (!(await this.behind(next.value))) continue;
          while (
            !this.stopped &&
            (inFlight.size >= this.options.concurrency || this.resident.size + inFlight.size >= this.options.maxResident)
          ) {
            if (inFlight.size > 0) await Promise.race(inFlight);
            else await new Promise<void>((resolve) => (this.wakeResident = resolve));
          }
          if (this.stopped) break;
          const one: Promise<void> = this.bringUpToDate(next.value.docName, pass).finally(() => inFlight.delete(one));
          inFlight.add(one);
          // Live traffic first: one document starts per turn of the event loop.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        await Promise.all(inFlight);
        total += pass.caughtUp;
        this.passes.push(pass);
        if (pass.caughtUp + pass.failed > 0) log.info('search catch-up: a pass indexed stored conversations', { ...pass, total });
        for (const waiter of this.passWaiters.filter((w) => this.passes.length >= w.count)) {
          this.passWaiters.splice(this.passWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
        if (!done && !this.stopped) await this.pause();
      }
    } finally {
      await iterator.return?.();
    }
    if (done && total > 0) log.info('search catch-up: every stored conversation is indexed', { total, ms: Date.now() - started });
  }

  /** Whether the document's index is behind its log (as its load would judge: search-indexer.ts). */
  private async behind({ docName, nextClock }: StoredDocument): Promise<boolean> {
    // A loaded document was judged at its load, and its writes follow.
    if (this.deps.registry.isLoaded(docName)) return false;
    const { index } = this.deps;
    return !(await index.isCurrent(docName)) || ((await index.indexedThrough(docName)) ?? -1) < nextClock;
  }

  /** Loads the document (its load indexes it whole, in the write queue's order), waits for that indexing, releases it. */
  private async bringUpToDate(docName: string, pass: CatchUpPass): Promise<void> {
    const { registry, indexer, log } = this.deps;
    let room: Awaited<ReturnType<DocRegistry['acquire']>>;
    try {
      room = await registry.acquire(docName);
    } catch (error) {
      pass.failed++;
      log.warn('search catch-up: a document could not be loaded', { doc: docName, error: String(error) });
      return;
    }
    this.resident.add(docName);
    pass.peakResident = Math.max(pass.peakResident, this.resident.size);
    pass.peakLoaded = Math.max(pass.peakLoaded, registry.loadedCount);

    try {
      await indexer.settled();
      pass.caughtUp++;
      this.options.onCaughtUp?.(docName);
    } finally {
      registry.release(room);
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.options.pauseMs);
      timer.unref();
      this.wakePause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
