/**
 * The way back for a conversation whose replica the relay refused (4400):
 * its local copy holds a change the relay will never take, so reconnecting
 * would only send it again. My unsent messages are set aside (shown failed,
 * with the reason), and when the person acts (retry, discard, resync, or a
 * new message) the local copy is dropped, a fresh one is synced from the
 * relay, and the messages the person retried are written again under their
 * own ids, so nothing is duplicated.
 *
 * This file is the pure state machine; `refused-conversations.ts` runs its
 * effects, and `messages/displayed-messages.ts` shows the set-aside messages
 * in the list.
 */
import type { Message } from '../../../shared/schema.js';
import { problemWithOwnMessage } from './own-message-check.js';

/**
 * - `refused`: the relay refused this replica; it is held (never connects) until the person acts.
 * - `dropping`: deleting the local copy (redone after a reload, it is idempotent).
 * - `resyncing`: a fresh replica is syncing from the relay.
 * - `clean`: the fresh replica is synced; failed messages may still wait for the person.
 */
export type RecoveryPhase = 'refused' | 'dropping' | 'resyncing' | 'clean';

export interface SetAsideMessage {
  message: Message;
  /** The person asked to send it again: it is written once the replica is clean and synced. */
  retry: boolean;
  /** Why it can never be sent as it is (see `problemWithOwnMessage`), or null. */
  problem: string | null;
}

export interface Recovery {
  phase: RecoveryPhase;
  /** The relay's reason for the last refusal, e.g. `refused: author`. */
  reason: string;
  messages: SetAsideMessage[];
}

export type RecoveryEvent =
  /** The relay refused the replica; `pending` are my unsequenced messages in it. */
  | { type: 'refused'; reason: string; pending: readonly Message[]; meId: string }
  | { type: 'retry'; id: string }
  | { type: 'discard'; id: string }
  /** The person asked to start over without retrying anything. */
  | { type: 'resync' }
  /** A new message while the replica may not be written to. */
  | { type: 'compose'; message: Message; meId: string }
  | { type: 'dropped' }
  /** The fresh replica has the relay's state; `present` are the message ids in it. */
  | { type: 'synced'; present: ReadonlySet<string> }
  /** These retried messages are now in the clean replica. */
  | { type: 'written'; ids: readonly string[] };

/** The next state; undefined when nothing is left to recover or show. */
export function nextRecovery(recovery: Recovery | undefined, event: RecoveryEvent): Recovery | undefined {
  if (event.type === 'refused') return refused(recovery, event);
  if (!recovery) return undefined;
  let next: Recovery = recovery;
  switch (event.type) {
    case 'retry':
      next = update(recovery, event.id, (entry) => (entry.problem === null ? { ...entry, retry: true } : entry));
      next = startDrop(next);
      break;
    case 'discard':
      next = startDrop({ ...recovery, messages: recovery.messages.filter((entry) => entry.message.id !== event.id) });
      break;
    case 'resync':
      next = startDrop(recovery);
      break;
    case 'compose': {
      const entry = { message: event.message, retry: true, problem: problemWithOwnMessage(event.message, event.meId) };
      next = startDrop({ ...recovery, messages: [...recovery.messages.filter((e) => e.message.id !== event.message.id), entry] });
      break;
    }
    case 'dropped':
      if (recovery.phase === 'dropping') next = { ...recovery, phase: 'resyncing' };
      break;
    case 'synced':
      if (recovery.phase !== 'resyncing') break;
      // A message the relay had after all (its number never reached us) is delivered, not failed.
      next = { ...recovery, phase: 'clean', messages: recovery.messages.filter((e) => !event.present.has(e.message.id)) };
      break;
    case 'written': {
      const written = new Set(event.ids);
      next = { ...recovery, messages: recovery.messages.filter((e) => !(e.retry && written.has(e.message.id))) };
      break;
    }
  }
  return next.phase === 'clean' && next.messages.length === 0 ? undefined : next;
}

/** Whether new messages may go straight into the conversation's replica. */
export function acceptsWrites(recovery: Recovery | undefined): boolean {
  return !recovery || recovery.phase === 'resyncing' || recovery.phase === 'clean';
}

/** Whether the local replica still holds the refused change (it must not connect or be shown as is). */
export function isContaminated(recovery: Recovery | undefined): boolean {
  return recovery?.phase === 'refused' || recovery?.phase === 'dropping';
}

/** Messages to write into the clean, synced replica now. */
export function toWriteBack(recovery: Recovery | undefined): Message[] {
  if (recovery?.phase !== 'clean') return [];
  return recovery.messages.filter((entry) => entry.retry).map((entry) => entry.message);
}

/** How many set-aside messages wait to be sent, and how many wait for the person. */
export function setAsideCounts(recovery: Recovery | undefined): { pending: number; failed: number } {
  let pending = 0;
  let failed = 0;
  for (const entry of recovery?.messages ?? []) {
    if (entry.retry) pending++;
    else failed++;
  }
  return { pending, failed };
}

function refused(recovery: Recovery | undefined, event: Extract<RecoveryEvent, { type: 'refused' }>): Recovery {
  // Whatever waited to be retried failed again: the person decides anew.
  const messages = (recovery?.messages ?? []).map((entry) => (entry.retry ? { ...entry, retry: false } : entry));
  const known = new Set(messages.map((entry) => entry.message.id));
  for (const message of event.pending) {
    if (message.author !== event.meId || known.has(message.id)) continue;
    known.add(message.id);
    messages.push({ message, retry: false, problem: problemWithOwnMessage(message, event.meId) });
  }
  return { phase: 'refused', reason: event.reason, messages };
}

/** The person acted on a refused replica: now it is dropped. */
function startDrop(recovery: Recovery): Recovery {
  return recovery.phase === 'refused' ? { ...recovery, phase: 'dropping' } : recovery;
}

function update(recovery: Recovery, id: string, change: (entry: SetAsideMessage) => SetAsideMessage): Recovery {
  return { ...recovery, messages: recovery.messages.map((entry) => (entry.message.id === id ? change(entry) : entry)) };
}
