/**
 * One `/mux` socket's subscription to its person's shared heads
 * (docs/PROTOCOL.md, "Shared conversation heads"; HEADS_SHARED). On a
 * subscribe with `since`, the socket listens for new heads first, then gets
 * the stored heads of every conversation its person is a member of now that
 * were written after `since`, then `caught-up`. Listening first means a head
 * written during the catch-up is not missed; it may arrive before an older
 * record of the same conversation, which is why the client keeps, per
 * conversation, the head with the highest `rev`. Membership is asked of the
 * store for the catch-up; live heads go only to the members the head writer
 * names (head-hub.ts).
 */
import { encodeCaughtUp, encodeHeadBatch, encodeHeadFrame, HEADS_PER_BATCH, type HeadFrame } from '../../shared/head-frames.js';
import type { Logger } from '../config.js';
import type { HeadHub, SendFrame } from '../participants/head-hub.js';
import type { HeadTable } from '../participants/head-table.js';

/** What the relay needs to serve shared heads (absent: heads are in user documents, and `heads` is an unknown document). */
export interface HeadsSource {
  hub: HeadHub;
  table: HeadTable;
  /** The conversations the person is a member of now (the membership store). */
  conversationIdsOf(userId: string): Promise<string[]>;
}

export class MuxHeads {
  private stopListening: (() => void) | null = null;
  /** Each subscribe's number: a catch-up that a later subscribe or the close overtook sends nothing more. */
  private generation = 0;

  constructor(
    private readonly source: HeadsSource,
    private readonly userId: string,
    private readonly send: SendFrame,
    private readonly log: Logger,
  ) {}

  /**
   * Starts (or restarts, with a new `since`) sending this person's heads;
   * `batches`: the client reads `head-batch` frames, so the catch-up goes in
   * a few frames rather than one per conversation (1,000 frames to send and,
   * in the browser, 1,000 message events before the list can show: issue 12).
   */
  subscribe(since: number, batches = false): void {
    this.stop();
    const generation = ++this.generation;
    // Heads lost on their way to this relay (a cluster's bus reconnected): the same catch-up again; a head sent twice changes nothing.
    this.stopListening = this.source.hub.listen(this.userId, this.send, () => this.startCatchUp(since, batches, generation));
    this.startCatchUp(since, batches, generation);
  }

  private startCatchUp(since: number, batches: boolean, generation: number): void {
    if (generation !== this.generation) return;
    this.catchUp(since, batches, generation).catch((error: unknown) => {
      // The live heads keep coming; the client asks again with its `since` after its next reconnect.
      this.log.error('sending the heads catch-up failed', { user: this.userId, error: String(error) });
    });
  }

  /** The socket closed: no more heads. */
  stop(): void {
    this.generation++;
    this.stopListening?.();
    this.stopListening = null;
  }

  private async catchUp(since: number, batches: boolean, generation: number): Promise<void> {
    const ids = await this.source.conversationIdsOf(this.userId);
    const records = await this.source.table.since(ids, since);
    if (generation !== this.generation) return;
    let newest = since;
    let batch: HeadFrame[] = [];
    for (const [conversationId, { head, rev }] of records) {
      newest = Math.max(newest, rev);
      if (!batches) {
        this.send(encodeHeadFrame({ conversationId, rev, head }));
        continue;
      }
      batch.push({ conversationId, rev, head });
      if (batch.length === HEADS_PER_BATCH) {
        this.send(encodeHeadBatch(batch));
        batch = [];
      }
    }
    if (batch.length > 0) this.send(encodeHeadBatch(batch));
    this.send(encodeCaughtUp(newest));
  }
}
