/**
 * Calls the participants of one room at their moments (participant.ts):
 * loaded in list order, unloaded in reverse (the room's sequencer, first
 * in, is the last to let go). A participant that throws while attaching or
 * detaching is logged and costs only itself; `beforeStore` is not caught,
 * because what it wrote halfway is in memory and belongs to the batch (the
 * room handles that like any failure while applying). `afterStore` is
 * caught like attaching: the batch is stored whatever a participant does.
 */
import type { Logger } from '../config.js';
import type { NumberedMessage, RoomEvent, ServerParticipant } from './participant.js';

export class RoomParticipants {
  private unloaded = false;

  constructor(
    private readonly event: RoomEvent,
    private readonly list: readonly ServerParticipant[],
    private readonly log: Logger,
  ) {}

  /** Calls every `onRoomLoaded`, in order. */
  roomLoaded(): void {
    for (const participant of this.list) {
      this.guarded(participant, 'attach to', () => participant.onRoomLoaded?.(this.event));
    }
  }

  /** Calls every `beforeStore`, in order; what they write belongs to the batch being built. */
  beforeStore(): void {
    for (const participant of this.list) participant.beforeStore?.(this.event);
  }

  /** Calls every `afterStore`, in order, once a batch is stored. */
  afterStore(numbered: readonly NumberedMessage[]): void {
    const batch = { ...this.event, numbered };
    for (const participant of this.list) {
      this.guarded(participant, 'act on a stored batch of', () => participant.afterStore?.(batch));
    }
  }

  /** Calls every `onConnectionsChanged`, in order, after a join or a leave. */
  connectionsChanged(): void {
    if (this.unloaded) return;
    for (const participant of this.list) {
      this.guarded(participant, 'follow the connections of', () => participant.onConnectionsChanged?.(this.event));
    }
  }

  /** Calls every `onRoomUnloaded`, in reverse order, once. */
  roomUnloaded(): void {
    if (this.unloaded) return;
    this.unloaded = true;
    for (const participant of [...this.list].reverse()) {
      this.guarded(participant, 'detach from', () => participant.onRoomUnloaded?.(this.event));
    }
  }

  private guarded(participant: ServerParticipant, what: string, hook: () => void): void {
    try {
      hook();
    } catch (error) {
      this.log.error(`a server participant failed to ${what} a document`, {
        participant: participant.name,
        doc: this.event.room.name,
        error: String(error),
      });
    }
  }
}
