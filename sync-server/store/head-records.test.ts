/** The shared head records contract (head-records.contract.ts) against LevelDB in a temp dir and a real PostgreSQL, a fresh schema per test. */
import { bothStores } from '../testing/both-stores.js';
import { headRecordsContract } from './head-records.contract.js';
import { LevelHeadRecords } from './level-head-records.js';
import { PostgresHeadRecords } from './postgres/postgres-head-records.js';

bothStores(headRecordsContract, {
  level: ({ db }) => new LevelHeadRecords(db),
  postgres: (pool) => new PostgresHeadRecords(pool),
  extras: { level: () => ({ resendsRecent: false }), postgres: () => ({ resendsRecent: true }) },
});
