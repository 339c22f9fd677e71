/**
 * Runs the recovery of conversations whose replica the relay refused
 * (the state machine is `refusal-recovery.ts`): notices the refusal, sets my
 * unsent messages aside, holds the replica, and when the person acts drops
 * the local copy, opens a fresh one, and writes the retried messages back
 * once it has synced. Emits 'change' whenever a recovery changes.
 */
import { CloseCode } from '../../../shared/protocol.js';
import { closeCodeText } from '../sync/close-code-text.js';
import { messagesOf, type Message } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { isRefused, MESSAGE_TOO_BIG } from '../sync/connection-state.js';
import type { DocConnection } from '../sync/doc-connection.js';
import { acceptsWrites, isContaminated, nextRecovery, toWriteBack, type Recovery, type RecoveryEvent } from './refusal-recovery.js';
import type { SetAsideStore } from './set-aside-store.js';

/** What the session does for the recovery. */
export interface ReplicaHooks {
  /** Closes the conversation's replica and deletes its local copy. */
  clear(conversationId: string): Promise<void>;
  /** Opens a fresh replica in place of the cleared one (it then comes to `watch`). */
  reopen(conversationId: string): void;
}

interface Watched {
  connection: DocConnection;
  onChange: () => void;
}

export class RefusedConversations extends EventTarget {
  private readonly watched = new Map<string, Watched>();
  private readonly dropping = new Set<string>();
  private closed = false;

  constructor(
    private readonly meId: string,
    private readonly store: SetAsideStore,
    private readonly hooks: ReplicaHooks,
  ) {
    super();
  }

  /** Conversations with a recovery under way or set-aside messages (open them at start). */
  conversationIds(): string[] {
    return this.store.conversationIds();
  }

  recovery(conversationId: string): Recovery | undefined {
    return this.store.get(conversationId);
  }

  /** Follows a conversation's (new) replica; a replica that holds a refused change is held at once. */
  watch(conversationId: string, connection: DocConnection): void {
    this.unwatch(conversationId);
    if (isContaminated(this.store.get(conversationId))) {
      connection.hold(CloseCode.invalidUpdate, this.store.get(conversationId)?.reason);
    }
    // Held by us, or refused before we looked: either way its refusal is known already.
    let known = isRefused(connection.state);
    const onChange = () => {
      if (!known && isRefused(connection.state)) {
        known = true;
        this.noticeRefusal(conversationId, connection);
      }
      this.settle(conversationId);
    };
    connection.addEventListener('change', onChange);
    this.watched.set(conversationId, { connection, onChange });
    this.settle(conversationId);
  }

  retry(conversationId: string, messageId: string): void {
    this.apply(conversationId, { type: 'retry', id: messageId });
  }

  discard(conversationId: string, messageId: string): void {
    this.apply(conversationId, { type: 'discard', id: messageId });
  }

  resync(conversationId: string): void {
    this.apply(conversationId, { type: 'resync' });
  }

  /**
   * Takes a new message when the conversation's replica may not be written
   * (it holds the refused change); it is sent after the resync. Returns false
   * when the caller should write it into the replica as usual.
   */
  compose(conversationId: string, message: Message): boolean {
    if (acceptsWrites(this.store.get(conversationId))) return false;
    this.apply(conversationId, { type: 'compose', message, meId: this.meId });
    return true;
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }

  private noticeRefusal(conversationId: string, connection: DocConnection): void {
    const { stopCode, stopReason } = connection.state;
    this.apply(conversationId, {
      type: 'refused',
      reason: refusalReason(stopCode ?? CloseCode.invalidUpdate, stopReason),
      pending: myUnsequenced(connection, this.meId),
      meId: this.meId,
    });
  }

  private apply(conversationId: string, event: RecoveryEvent): void {
    if (this.closed) return;
    const before = this.store.get(conversationId);
    const after = nextRecovery(before, event);
    if (after === before) return;
    this.store.set(conversationId, after);
    this.dispatchEvent(new Event('change'));
    this.settle(conversationId);
  }

  /** Runs what the current phase asks for. */
  private settle(conversationId: string): void {
    const recovery = this.store.get(conversationId);
    if (!recovery || this.closed) return;
    if (recovery.phase === 'dropping') {
      void this.drop(conversationId);
      return;
    }
    const connection = this.watched.get(conversationId)?.connection;
    if (!connection?.state.localLoaded) return;
    if (recovery.phase === 'resyncing' && connection.state.synced) {
      this.apply(conversationId, { type: 'synced', present: new Set(messagesOf(connection.doc).keys()) });
      return;
    }
    const messages = toWriteBack(recovery);
    if (messages.length > 0) {
      writeBack(connection, messages);
      this.apply(conversationId, { type: 'written', ids: messages.map((message) => message.id) });
    }
  }

  private async drop(conversationId: string): Promise<void> {
    if (this.dropping.has(conversationId)) return;
    this.dropping.add(conversationId);
    this.unwatch(conversationId);
    try {
      await this.hooks.clear(conversationId);
    } catch (error) {
      // The phase stays 'dropping': the next start (or action) tries again.
      console.error(`Could not drop the local copy of conversation ${conversationId}`, error);
      return;
    } finally {
      this.dropping.delete(conversationId);
    }
    if (this.closed) return;
    // No await from here on: nothing may open the conversation between the phase change and the fresh replica.
    this.apply(conversationId, { type: 'dropped' });
    this.hooks.reopen(conversationId);
  }

  private unwatch(conversationId: string): void {
    const watched = this.watched.get(conversationId);
    if (!watched) return;
    watched.connection.removeEventListener('change', watched.onChange);
    this.watched.delete(conversationId);
  }
}

/**
 * What the person reads when the relay refused this device's change. A frame
 * too big says so in plain words, whatever technical reason the relay gave.
 */
export function refusalReason(code: number, reason: string): string {
  if (code === MESSAGE_TOO_BIG) return 'too big for the server';
  if (reason) return reason;
  return closeCodeText(code);
}

function myUnsequenced(connection: DocConnection, meId: string): Message[] {
  const seq = seqIndexOf(connection.doc);
  const mine: Message[] = [];
  messagesOf(connection.doc).forEach((message, id) => {
    if (message.author === meId && !seq.has(id)) mine.push(message);
  });
  return mine;
}

/**
 * Writes messages back under their own ids, one transaction each: every one
 * travels as its own frame, so a backlog never makes one frame too big.
 * One the replica already has (the relay had it) is not written again.
 */
function writeBack(connection: DocConnection, messages: readonly Message[]): void {
  const map = messagesOf(connection.doc);
  for (const message of messages) {
    if (!map.has(message.id)) connection.doc.transact(() => map.set(message.id, message));
  }
}
