/**
 * PostgreSQL for a relay started with `DATABASE_URL` (docs/SCALING.md): the
 * pool, the migrations applied, this process's lease (on a connection of its
 * own), and the document log
 * on them. Today only the documents live there; everything else stays in
 * LevelDB in `DATA_DIR`.
 */
import type pg from 'pg';
import { migrate } from './migrations.js';
import { groupsInFlightFor, openPool, type PostgresConfig } from './pool.js';
import { PostgresDocumentLog } from './postgres-document-log.js';
import { ProcessLease } from './process-lease.js';

export interface StorageLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** What the document log needs of the registry of loaded rooms (relay/doc-registry.ts). */
export interface LoadedDocuments {
  onUnload(listener: (docName: string) => void): () => void;
  drop(docName: string): Promise<void>;
}

export interface PostgresStorage {
  /** The process's pool; the other PostgreSQL stores share it (the lease has a connection of its own). */
  readonly pool: pg.Pool;
  readonly lease: ProcessLease;
  readonly documents: PostgresDocumentLog;
  /** Unloaded rooms give their document up; rooms of a lost lease are dropped. */
  attach(registry: LoadedDocuments): void;
  /** Ends the lease (others may claim this process's documents at once) and closes the pool; after the rooms are closed. */
  close(): Promise<void>;
}

/** Opens the pool, applies the migrations and starts the lease; throws (and leaves nothing open) if PostgreSQL is unreachable. */
export async function openPostgresStorage(config: PostgresConfig, log: StorageLogger): Promise<PostgresStorage> {
  const pool = openPool(config, log);
  // The lease renews on a connection of its own: through the shared pool, a renewal queued behind group commits,
  // claims and search writes on a busy owner, and its documents were lost to a slow queue (docs/SCALING.md, "Timeouts").
  const leasePool = openPool({ ...config, poolSize: 1 }, log);
  let lease: ProcessLease;
  try {
    const applied = await migrate(pool, config.schema);
    if (applied.length > 0) log.info('applied PostgreSQL migrations', { schema: config.schema, migrations: applied });
    lease = await ProcessLease.start(leasePool, { leaseMs: config.leaseMs, log });
  } catch (error) {
    await Promise.all([pool.end(), leasePool.end()]);
    throw error;
  }
  log.info('documents are stored in PostgreSQL', { schema: config.schema, process: lease.id });
  const documents = new PostgresDocumentLog(pool, lease, groupsInFlightFor(config));
  return {
    pool,
    lease,
    documents,
    attach(registry) {
      registry.onUnload((docName) => {
        documents
          .release(docName)
          .catch((error: unknown) => log.warn('giving up a document failed', { doc: docName, error: String(error) }));
      });
      documents.onOwnershipLost((docNames) => {
        for (const docName of docNames) void registry.drop(docName);
      });
    },
    async close() {
      await lease.release().catch((error: unknown) => log.warn('ending the relay lease failed', { error: String(error) }));
      await Promise.all([pool.end(), leasePool.end()]);
    },
  };
}
