/** The picture store contract (blob-store.contract.ts) against files and LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { PostgresBlobStore } from '../store/postgres/postgres-blob-store.js';
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { blobStoreContract } from './blob-store.contract.js';
import { LevelBlobStore } from './level-blob-store.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

blobStoreContract('LevelDB', {
  open: () => new LevelBlobStore(level.db, level.dir),
  sameStorage: (store) => store,
});

blobStoreContract('PostgreSQL', {
  open: () => new PostgresBlobStore(postgres.pool()),
  sameStorage: () => new PostgresBlobStore(postgres.otherPool()),
});
