/**
 * The conversation as the message list shows it: each message with the
 * state the person sees (pending, delivered, failed with a reason). Most come
 * from the replica in the shared order; the messages a refusal set aside
 * (`refusals/refusal-recovery.ts`) are merged in. Pure.
 */
import { compareOrdered, type OrderedMessage } from '../../../shared/message-order.js';
import { isContaminated, type Recovery } from '../refusals/refusal-recovery.js';

export type DisplayState = 'pending' | 'delivered' | 'failed';

/** A message as the list shows it. */
export interface DisplayedMessage extends Omit<OrderedMessage, 'state'> {
  state: DisplayState;
  /** Why it was not sent, when `state` is 'failed'; `retryable` is false when it can never be sent as is. */
  failure?: { reason: string; retryable: boolean };
}

/**
 * The conversation as the list shows it: the replica's messages and the
 * set-aside ones, in the shared order. While the replica still holds the
 * refused change, its unsequenced messages are not shown: mine are set aside,
 * and anyone else's exist only in this replica (the relay sends others'
 * messages with their numbers), so they are about to be dropped.
 */
export function withSetAside(ordered: readonly OrderedMessage[], recovery: Recovery | undefined): DisplayedMessage[] {
  if (!recovery) return ordered as DisplayedMessage[];
  const contaminated = isContaminated(recovery);
  const shown: DisplayedMessage[] = contaminated ? ordered.filter((entry) => entry.seq !== undefined) : [...ordered];
  const inReplica = new Set(shown.map((entry) => entry.message.id));
  for (const entry of recovery.messages) {
    if (inReplica.has(entry.message.id)) continue;
    shown.push(
      entry.retry
        ? { message: entry.message, seq: undefined, state: 'pending' }
        : {
            message: entry.message,
            seq: undefined,
            state: 'failed',
            failure: { reason: entry.problem ?? recovery.reason, retryable: entry.problem === null },
          },
    );
  }
  return shown.sort(byOrder);
}

/** The shared order reads only `message` and `seq`, which a displayed message has too. */
const byOrder = compareOrdered as (a: Pick<OrderedMessage, 'message' | 'seq'>, b: Pick<OrderedMessage, 'message' | 'seq'>) => number;
