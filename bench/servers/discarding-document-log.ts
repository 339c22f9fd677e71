/**
 * A document log that stores nothing: the bench's "writes off" run, to
 * price durability (the product always writes). Loading still reads the
 * real log, so a document written before the switch opens as it was.
 */
import type { AppendOutcome } from '../../sync-server/store/document-log.js';
import { LevelDocumentLog } from '../../sync-server/store/level-document-log.js';

export class DiscardingDocumentLog extends LevelDocumentLog {
  override async append(): Promise<AppendOutcome> {
    return { stored: true };
  }

  override async compact(): Promise<void> {}
}
