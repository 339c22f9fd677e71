/**
 * Shared conversation heads in LevelDB (participants/head-table.ts): sublevel
 * `sharedHeads`, conversation id → `{head, rev}`. Written only with
 * HEADS_SHARED (docs/PROTOCOL.md, "Shared conversation heads"); in a
 * cluster the table is PostgreSQL's (postgres/postgres-head-records.ts), and
 * `copy-to-postgres` copies this sublevel into it with its revs.
 */
import type { HeadRecord, HeadRecords } from '../participants/head-table.js';
import type { Database } from './database.js';

export class LevelHeadRecords implements HeadRecords {
  private readonly records;

  constructor(db: Database) {
    this.records = db.root.sublevel<string, HeadRecord>('sharedHeads', { valueEncoding: 'json' });
  }

  async put(conversationId: string, record: HeadRecord): Promise<void> {
    await this.records.put(conversationId, record);
  }

  async recordsOf(conversationIds: readonly string[]): Promise<Map<string, HeadRecord>> {
    const found = new Map<string, HeadRecord>();
    if (conversationIds.length === 0) return found;
    const values = await this.records.getMany([...conversationIds]);
    values.forEach((record, index) => {
      if (record) found.set(conversationIds[index], record);
    });
    return found;
  }
}
