/** The site store contract (sites.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { LevelSiteStore } from './level-sites.js';
import { PostgresSiteStore } from './postgres/postgres-sites.js';
import { siteStoreContract } from './sites.contract.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(siteStoreContract, {
  level: ({ db }) => new LevelSiteStore(db),
  postgres: (pool) => new PostgresSiteStore(pool),
});
