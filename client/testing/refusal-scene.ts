/**
 * The refusal every recovery test starts from: "ann" had two messages pending when the relay
 * refused her replica. Shared by the recovery rules' tests and the message list's view of them.
 */
import { textMessage } from '../../shared/testing/text-message.js';
import { nextRecovery, type Recovery, type RecoveryEvent } from '../data/refusals/refusal-recovery.js';

export const me = 'ann';

/** The recovery after `events`, from `start`. */
export function run(start: Recovery | undefined, ...events: RecoveryEvent[]): Recovery | undefined {
  return events.reduce<Recovery | undefined>(nextRecovery, start);
}

/** Plausible times (the message time rule: 2000 to 2100). */
export const one = textMessage(me, 'one', { createdAt: 1_700_000_001_000 });
export const two = textMessage(me, 'two', { createdAt: 1_700_000_002_000 });
export const refusal: RecoveryEvent = { type: 'refused', reason: 'refused: author', pending: [one, two], meId: me };
