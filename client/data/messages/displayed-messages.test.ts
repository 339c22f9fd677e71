/** The list's view of a conversation: the replica's messages with the ones a refusal set aside. */
import { describe, expect, it } from 'vitest';
import type { OrderedMessage } from '../../../shared/message-order.js';
import { textMessage } from '../../../shared/testing/text-message.js';
import { one, refusal, run } from '../../testing/refusal-scene.js';
import { withSetAside } from './displayed-messages.js';

describe('withSetAside', () => {
  const delivered: OrderedMessage = { message: textMessage('bob', 'hello', { createdAt: 500 }), seq: 1, state: 'delivered' };
  const forged: OrderedMessage = { message: textMessage('bob', 'forged', { createdAt: 1500 }), seq: undefined, state: 'pending' };
  const mineInReplica: OrderedMessage = { message: one, seq: undefined, state: 'pending' };

  it('changes nothing when all is well', () => {
    const list = [delivered, mineInReplica];
    expect(withSetAside(list, undefined)).toBe(list);
  });

  it('shows set-aside messages failed with the reason, and hides what only the refused replica holds', () => {
    const recovery = run(undefined, refusal);
    const shown = withSetAside([delivered, forged, mineInReplica], recovery);
    expect(shown.map((m) => [m.message.text, m.state])).toEqual([
      ['hello', 'delivered'],
      ['one', 'failed'],
      ['two', 'failed'],
    ]);
    expect(shown[1]?.failure).toEqual({ reason: 'refused: author', retryable: true });
  });

  it('shows a retried message as pending, and the fresh replica’s copy once it is there', () => {
    const resyncing = run(undefined, refusal, { type: 'retry', id: one.id }, { type: 'dropped' });
    expect(withSetAside([delivered], resyncing).map((m) => [m.message.text, m.state])).toEqual([
      ['hello', 'delivered'],
      ['one', 'pending'],
      ['two', 'failed'],
    ]);
    const sent: OrderedMessage = { message: one, seq: 2, state: 'delivered' };
    expect(withSetAside([delivered, sent], resyncing).map((m) => [m.message.text, m.state])).toEqual([
      ['hello', 'delivered'],
      ['one', 'delivered'],
      ['two', 'failed'],
    ]);
  });
});
