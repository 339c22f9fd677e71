/** The friend store contract (friends.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { friendStoreContract } from './friends.contract.js';
import { LevelFriendStore } from './level-friends.js';
import { PostgresFriendStore } from './postgres/postgres-friends.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(friendStoreContract, {
  level: ({ db }) => new LevelFriendStore(db),
  postgres: (pool) => new PostgresFriendStore(pool),
});
