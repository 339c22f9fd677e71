/**
 * The shared head records contract (head-records.contract.ts) against LevelDB in a temp dir and a real PostgreSQL, a fresh
 * schema per test; PostgreSQL's heads ride a document log's group commits, as a relay's do (group-append.ts, `rideHead`).
 */
import { bothStores } from '../testing/both-stores.js';
import { headRecordsContract } from './head-records.contract.js';
import { LevelHeadRecords } from './level-head-records.js';
import { GroupAppend } from './postgres/group-append.js';
import { PostgresHeadRecords, RECENT_HEADS_MS } from './postgres/postgres-head-records.js';

bothStores(headRecordsContract, {
  level: ({ db }) => new LevelHeadRecords(db),
  postgres: (pool) => {
    const groups = new GroupAppend(pool, 1);
    return new PostgresHeadRecords(pool, RECENT_HEADS_MS, (id, json) => groups.rideHead(id, json));
  },
  extras: { level: () => ({ resendsRecent: false }), postgres: () => ({ resendsRecent: true }) },
});
