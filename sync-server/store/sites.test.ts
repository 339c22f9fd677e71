/** The site store contract (sites.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { LevelSiteStore } from './level-sites.js';
import { PostgresSiteStore } from './postgres/postgres-sites.js';
import { siteStoreContract } from './sites.contract.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

siteStoreContract('LevelDB', {
  open: () => new LevelSiteStore(level.db),
  sameStorage: (store) => store,
});

siteStoreContract('PostgreSQL', {
  open: () => new PostgresSiteStore(postgres.pool()),
  sameStorage: () => new PostgresSiteStore(postgres.otherPool()),
});
