import { describe, expect, it } from 'vitest';
import { MESSAGE_TEXT_MAX_LENGTH } from '../../../shared/limits.js';
import { textMessage } from '../../../shared/testing/text-message.js';
import { acceptsWrites, setAsideCounts, toWriteBack } from './refusal-recovery.js';
import { me, one, refusal, run, two } from '../../testing/refusal-scene.js';

describe('nextRecovery', () => {
  it('sets my pending messages aside as failed with the reason, and holds the replica', () => {
    const recovery = run(undefined, refusal);
    expect(recovery).toMatchObject({ phase: 'refused', reason: 'refused: author' });
    expect(recovery?.messages.map((e) => [e.message.id, e.retry, e.problem])).toEqual([
      [one.id, false, null],
      [two.id, false, null],
    ]);
    expect(acceptsWrites(recovery)).toBe(false);
    expect(setAsideCounts(recovery)).toEqual({ pending: 0, failed: 2 });
  });

  it('never sets aside someone else’s message (the forged one is dropped with the replica)', () => {
    const forged = textMessage('bob', 'forged');
    const recovery = run(undefined, { type: 'refused', reason: 'refused: author', pending: [forged, one], meId: me });
    expect(recovery?.messages.map((e) => e.message.id)).toEqual([one.id]);
  });

  it('keeps a message of mine that breaks the rules, failed for good: it can only be discarded', () => {
    const long = textMessage(me, 'x'.repeat(MESSAGE_TEXT_MAX_LENGTH + 1));
    const recovery = run(
      undefined,
      { type: 'refused', reason: 'refused: text', pending: [long], meId: me },
      { type: 'retry', id: long.id },
    );
    expect(recovery?.messages[0]).toMatchObject({ retry: false, problem: expect.stringContaining('more than') });
  });

  it('retry: drop the replica, resync, write back once synced, then nothing is left', () => {
    let recovery = run(undefined, refusal, { type: 'retry', id: one.id });
    expect(recovery?.phase).toBe('dropping');
    expect(toWriteBack(recovery)).toEqual([]); // not before the replica is clean and synced
    recovery = run(recovery, { type: 'dropped' });
    expect(recovery?.phase).toBe('resyncing');
    expect(acceptsWrites(recovery)).toBe(true);
    expect(toWriteBack(recovery)).toEqual([]);
    recovery = run(recovery, { type: 'synced', present: new Set() });
    expect(recovery?.phase).toBe('clean');
    expect(toWriteBack(recovery)).toEqual([one]);
    recovery = run(recovery, { type: 'written', ids: [one.id] });
    // `two` is still failed: the person decides about it on its own.
    expect(recovery?.messages.map((e) => [e.message.id, e.retry])).toEqual([[two.id, false]]);
    expect(run(recovery, { type: 'discard', id: two.id })).toBeUndefined();
  });

  it('retrying after the replica is clean writes straight away', () => {
    const clean = run(undefined, refusal, { type: 'resync' }, { type: 'dropped' }, { type: 'synced', present: new Set() });
    expect(clean?.phase).toBe('clean');
    expect(toWriteBack(run(clean, { type: 'retry', id: two.id }))).toEqual([two]);
  });

  it('discard also starts the way back, and drops the message', () => {
    const recovery = run(undefined, refusal, { type: 'discard', id: one.id });
    expect(recovery?.phase).toBe('dropping');
    expect(recovery?.messages.map((e) => e.message.id)).toEqual([two.id]);
  });

  it('a message the relay had after all is delivered, not failed', () => {
    const recovery = run(
      undefined,
      refusal,
      { type: 'retry', id: one.id },
      { type: 'dropped' },
      { type: 'synced', present: new Set([one.id, two.id]) },
    );
    expect(recovery).toBeUndefined();
  });

  it('a new message while refused waits in the set-aside list and goes after the resync', () => {
    const three = textMessage(me, 'three');
    let recovery = run(undefined, refusal, { type: 'compose', message: three, meId: me });
    expect(recovery?.phase).toBe('dropping');
    expect(setAsideCounts(recovery)).toEqual({ pending: 1, failed: 2 });
    recovery = run(recovery, { type: 'dropped' }, { type: 'synced', present: new Set() });
    expect(toWriteBack(recovery)).toEqual([three]);
  });

  it('a second refusal fails the retried messages again instead of retrying forever', () => {
    const recovery = run(
      undefined,
      refusal,
      { type: 'retry', id: one.id },
      { type: 'dropped' },
      { type: 'synced', present: new Set() },
      { type: 'written', ids: [one.id] },
      { type: 'refused', reason: 'refused: rate', pending: [one], meId: me },
    );
    expect(recovery).toMatchObject({ phase: 'refused', reason: 'refused: rate' });
    expect(recovery?.messages.map((e) => [e.message.id, e.retry])).toEqual([
      [two.id, false],
      [one.id, false],
    ]);
  });

  it('ignores events that do not fit the phase', () => {
    const refused = run(undefined, refusal);
    expect(run(refused, { type: 'dropped' })).toBe(refused);
    expect(run(refused, { type: 'synced', present: new Set() })).toBe(refused);
    expect(run(undefined, { type: 'retry', id: one.id })).toBeUndefined();
  });
});
