/**
 * What ties one loaded segment's room to its conversation (docs/SEGMENTS.md),
 * as a server participant right after the room's sequencer: after each
 * stored batch, the newest segment asks whether it passed the bound (and
 * rolls over), and a closed segment sends the messages that reached it late
 * to the newest segment for a number, then copies the numbers in. Late
 * messages found unnumbered when a closed segment loads (a crash between the
 * number and its copy) are sent at once. A newer segment loaded without
 * `meta` gets a copy of `conv/<id>`'s (the server's participants read it).
 * A closed segment keeps its log compacted into one entry (it changes only
 * by late messages), so loading it is one update (docs/SEGMENTS.md,
 * "Loading a segment").
 */
import { metaOf } from '../../shared/schema.js';
import type { Logger } from '../config.js';
import type { RoomEvent, ServerParticipant } from '../participants/participant.js';
import type { Sequencer } from '../participants/sequencer.js';
import type { Room } from '../relay/room.js';
import type { ConversationSegments } from './conversation-segments.js';

export class SegmentLink implements ServerParticipant {
  readonly name = 'segments';
  private forwarding: Promise<void> | null = null;
  private forwardAgain = false;
  private unloaded = false;

  constructor(
    private readonly sequencer: Sequencer,
    private readonly segments: ConversationSegments,
    private readonly conversationId: string,
    private readonly segment: number,
    private readonly log: Logger,
  ) {}

  onRoomLoaded({ room }: RoomEvent): void {
    if (!this.sequencer.isClosed) {
      // A conversation loaded empty is new: its messages start in segment 1.
      if (this.segment === 0) this.segments.startInSegmentOne(this.conversationId, room);
      if (this.segment > 0 && metaOf(room.doc).size === 0) {
        this.segments.copyMetaInto(this.conversationId, room).catch((error: unknown) =>
          this.log.error('copying meta into a new segment failed', {
            conversation: this.conversationId,
            segment: this.segment,
            error: String(error),
          }),
        );
      }
      return;
    }
    // What a crash left unnumbered waits for the newest segment's number; it may have been given already.
    this.sequencer.sequencePending();
    this.forward(room, true);
    // Closed before closed segments were compacted, or a late message since: compacted now, once.
    this.segments.compactClosed(this.conversationId, this.segment, room);
  }

  afterStore({ room }: RoomEvent): void {
    if (this.sequencer.isClosed) {
      this.forward(room, false);
      this.segments.compactClosed(this.conversationId, this.segment, room);
    } else this.segments.rollOverIfFull(this.conversationId, this.segment, room);
  }

  onRoomUnloaded(): void {
    this.unloaded = true;
  }

  /** One request at a time; what arrives meanwhile goes with the next. A failure leaves the messages waiting for the next batch or load. */
  private forward(room: Room, recovering: boolean): void {
    if (this.forwarding) {
      this.forwardAgain = true;
      return;
    }
    const ids = this.sequencer.lateMessages();
    if (ids.length === 0) return;
    this.forwarding = this.segments
      .numberLate(this.conversationId, this.segment, ids, recovering)
      .then((numbers) => (this.unloaded ? undefined : room.serverChange(() => this.sequencer.adopt(numbers))))
      .catch((error: unknown) =>
        this.log.error('numbering late messages of an older segment failed', {
          conversation: this.conversationId,
          segment: this.segment,
          error: String(error),
        }),
      )
      .finally(() => {
        this.forwarding = null;
        if (this.forwardAgain && !this.unloaded) {
          this.forwardAgain = false;
          this.forward(room, false);
        }
      });
  }
}
