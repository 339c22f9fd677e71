/**
 * Calls the participants of one room at their moments (participant.ts):
 * loaded in list order, unloaded in reverse (the room's sequencer, first
 * in, is the last to let go). A participant that throws while attaching or
 * detaching is logged and costs only itself; `beforeStore` is not caught,
 * because what it wrote halfway is in memory and belongs to the batch (the
 * room handles that like any failure while applying). `afterStore` is
 * caught like attaching: the batch is stored whatever a participant does.
 *
 * It also holds each participant's state in this room (what its
 * `onRoomLoaded` returned) and is the room's one observer of `messages`,
 * `reads` and `meta`, calling the participants that follow each. A room
 * used to hold, per participant, an entry in the participant's own map, a
 * stop closure and an observer closure per type, with observer lists of up
 * to six listeners (issue 14: a loaded room's heap).
 */
import type * as Y from 'yjs';
import { messagesOf, metaOf, readsOf, type Message } from '../../shared/schema.js';
import type { Logger } from '../config.js';
import { observeLean } from './observe-lean.js';
import type { NumberedMessage, RoomEvent, ServerParticipant } from './participant.js';

/** What holds an own participant's place while its room sleeps: no hooks. */
const ASLEEP: ServerParticipant = { name: 'asleep' };

export class RoomParticipants {
  private unloaded = false;
  /** Each participant's state in this room, by its place in the list (undefined: none). */
  private readonly states: unknown[];
  /** The document the observers below are on; null while the room sleeps (room-dormancy.ts) or once unloaded. */
  private observed: Y.Doc | null = null;
  /** This room's observers of its root types, kept to stop them at unload (none for a type nobody follows, e.g. in user documents). */
  private messagesObserver: ((event: Y.YMapEvent<Message>) => void) | null = null;
  private readsObserver: ((event: Y.YMapEvent<number>) => void) | null = null;
  private metaObserver: ((event: Y.YMapEvent<unknown>) => void) | null = null;

  constructor(
    private readonly event: RoomEvent,
    /** The room's own participants first (its sequencer, its segment link), replaced when the room wakes; then the server's. */
    private readonly list: ServerParticipant[],
    private readonly log: Logger,
  ) {
    this.states = new Array<unknown>(list.length).fill(undefined);
  }

  /** Calls every `onRoomLoaded`, in order, keeps what each returned, then observes the types the participants with a state follow. */
  roomLoaded(): void {
    for (let index = 0; index < this.list.length; index++) {
      const participant = this.list[index];
      this.guarded(participant, 'attach to', () => {
        this.states[index] = participant.onRoomLoaded?.(this.event);
      });
    }
    this.observeFollowedTypes();
  }

  /** Calls every `beforeStore`, in order; what they write belongs to the batch being built. */
  beforeStore(): void {
    for (let index = 0; index < this.list.length; index++) this.list[index].beforeStore?.(this.event, this.states[index]);
  }

  /** Calls every `afterStore`, in order, once a batch is stored. */
  afterStore(numbered: readonly NumberedMessage[]): void {
    const batch = { ...this.event, numbered };
    for (let index = 0; index < this.list.length; index++) {
      const participant = this.list[index];
      if (participant.afterStore)
        this.guarded(participant, 'act on a stored batch of', () => participant.afterStore?.(batch, this.states[index]));
    }
  }

  /** Calls every `onConnectionsChanged`, in order, after a join or a leave. */
  connectionsChanged(): void {
    if (this.unloaded) return;
    for (let index = 0; index < this.list.length; index++) {
      const participant = this.list[index];
      if (participant.onConnectionsChanged)
        this.guarded(participant, 'follow the connections of', () => participant.onConnectionsChanged?.(this.event, this.states[index]));
    }
  }

  /** Calls every `onRoomUnloaded`, in reverse order, once, and stops observing. */
  roomUnloaded(): void {
    if (this.unloaded) return;
    this.unloaded = true;
    for (let index = this.list.length - 1; index >= 0; index--) {
      const participant = this.list[index];
      this.guarded(participant, 'detach from', () => participant.onRoomUnloaded?.(this.event, this.states[index]));
    }
    this.releaseDocument();
    this.states.fill(undefined);
  }

  /**
   * The room is going to sleep (room-dormancy.ts): stop observing its
   * document, which it lets go of, and let the room's `own` participants
   * (the first in the list, made for that document: its sequencer holds its
   * types) go as at an unload; their places hold nothing until
   * `bindDocument`. Every other participant keeps its state: a sleeping
   * document does not change, and each hook reads `room.doc` at its moment,
   * which wakes it.
   */
  releaseDocument(own = 0): void {
    for (let index = own - 1; index >= 0; index--) {
      const participant = this.list[index];
      this.guarded(participant, 'let go of the sleeping document of', () => participant.onRoomUnloaded?.(this.event, this.states[index]));
      this.list[index] = ASLEEP;
    }
    const doc = this.observed;
    this.observed = null;
    if (doc) {
      if (this.messagesObserver) messagesOf(doc).unobserve(this.messagesObserver);
      if (this.readsObserver) readsOf(doc).unobserve(this.readsObserver);
      if (this.metaObserver) metaOf(doc).unobserve(this.metaObserver);
    }
    this.messagesObserver = this.readsObserver = this.metaObserver = null;
  }

  /**
   * The room woke with a new document: `own` replaces the room's own
   * participants made for the old one (same places, same states: they are
   * not loaded again), and the followed types are observed on the new one.
   */
  bindDocument(own: readonly ServerParticipant[]): void {
    if (this.unloaded) return;
    for (let index = 0; index < own.length; index++) this.list[index] = own[index];
    this.observeFollowedTypes();
  }

  /** One observer per root type some participant with a state follows; a type nobody follows is not even made. */
  private observeFollowedTypes(): void {
    const wants = { messages: false, reads: false, meta: false };
    for (let index = 0; index < this.list.length; index++) {
      if (this.states[index] === undefined) continue;
      const participant = this.list[index];
      wants.messages ||= participant.messagesChanged !== undefined;
      wants.reads ||= participant.readsChanged !== undefined;
      wants.meta ||= participant.metaChanged !== undefined;
    }
    const doc = this.event.room.doc;
    this.observed = doc;
    if (wants.messages) {
      this.messagesObserver = (event) => this.messagesChanged(event);
      observeLean(messagesOf(doc), this.messagesObserver);
    }
    if (wants.reads) {
      this.readsObserver = (event) => this.readsChanged(event);
      observeLean(readsOf(doc), this.readsObserver);
    }
    if (wants.meta) {
      this.metaObserver = (event) => this.metaChanged(event);
      observeLean(metaOf(doc), this.metaObserver);
    }
  }

  private messagesChanged(event: Y.YMapEvent<Message>): void {
    this.dispatch((participant, state) => participant.messagesChanged?.(event, state, this.event));
  }

  private readsChanged(event: Y.YMapEvent<number>): void {
    this.dispatch((participant, state) => participant.readsChanged?.(event, state, this.event));
  }

  private metaChanged(event: Y.YMapEvent<unknown>): void {
    this.dispatch((participant, state) => participant.metaChanged?.(event, state, this.event));
  }

  /**
   * Calls `hook` for every participant with a state here, in order. As
   * Yjs does with its observers, one that throws does not keep the others
   * from being called, and the first error is thrown after them.
   */
  private dispatch(hook: (participant: ServerParticipant, state: unknown) => void): void {
    let failure: { error: unknown } | null = null;
    for (let index = 0; index < this.list.length; index++) {
      const state = this.states[index];
      if (state === undefined) continue;
      try {
        hook(this.list[index], state);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
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
