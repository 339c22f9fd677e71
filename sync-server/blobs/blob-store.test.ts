/** The picture store contract (blob-store.contract.ts) against files and LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { PostgresBlobStore } from '../store/postgres/postgres-blob-store.js';
import { bothStores } from '../testing/both-stores.js';
import { blobStoreContract } from './blob-store.contract.js';
import { LevelBlobStore } from './level-blob-store.js';

bothStores(blobStoreContract, {
  level: ({ db, dir }) => new LevelBlobStore(db, dir),
  postgres: (pool) => new PostgresBlobStore(pool),
});
