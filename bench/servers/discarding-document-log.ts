/**
 * A document store that stores nothing: the bench's "writes off" run, to
 * price durability (the product always writes). Loading still reads the
 * real log, so a document written before the switch opens as it was.
 */
import { DocStore } from '../../sync-server/store/doc-store.js';

export class DiscardingDocStore extends DocStore {
  override async append(): Promise<void> {}

  override async appendMany(): Promise<void> {}

  override async compact(): Promise<void> {}
}
