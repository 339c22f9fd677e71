/** Runs of one person's messages: where the name shows and the bubbles close up. */
import { describe, expect, it } from 'vitest';
import { RUN_PAUSE_MS, runPlaces, type RunMessage } from './message-runs.js';

const noon = new Date(2026, 11, 6, 12, 0).getTime();
const minute = 60 * 1000;

function message(id: string, author: string, createdAt: unknown, kind: RunMessage['kind'] = 'text'): RunMessage {
  return { id, author, kind, createdAt };
}

/** The places as 'F' (first), 'L' (last), 'FL' (alone) or '-' (middle), in order. */
function shape(messages: RunMessage[], breakBefore?: string): string[] {
  const places = runPlaces(messages, breakBefore);
  return messages.map((m) => {
    const place = places.get(m.id);
    return `${place?.first ? 'F' : ''}${place?.last ? 'L' : ''}` || '-';
  });
}

describe('runPlaces', () => {
  it('groups one person’s consecutive messages, and starts again when someone else writes', () => {
    const list = [
      message('a1', 'ann', noon),
      message('a2', 'ann', noon + minute),
      message('a3', 'ann', noon + 2 * minute),
      message('b1', 'bob', noon + 3 * minute),
      message('a4', 'ann', noon + 4 * minute),
    ];
    expect(shape(list)).toEqual(['F', '-', 'L', 'FL', 'FL']);
  });

  it('breaks a run after a pause of more than five minutes, not at exactly five', () => {
    const list = [message('a1', 'ann', noon), message('a2', 'ann', noon + RUN_PAUSE_MS), message('a3', 'ann', noon + 2 * RUN_PAUSE_MS + 1)];
    expect(shape(list)).toEqual(['F', 'L', 'FL']);
  });

  it('breaks a run at a day change, even a minute apart', () => {
    const lateEvening = new Date(2026, 11, 6, 23, 59, 30).getTime();
    expect(shape([message('a1', 'ann', lateEvening), message('a2', 'ann', lateEvening + minute)])).toEqual(['FL', 'FL']);
  });

  it('breaks a run around a system line', () => {
    const list = [message('a1', 'ann', noon), message('s', 'system', noon + 1, 'system'), message('a2', 'ann', noon + 2)];
    expect(shape(list)).toEqual(['FL', 'FL', 'FL']);
  });

  it('starts a run at the first unread message', () => {
    const list = [message('b1', 'bob', noon), message('b2', 'bob', noon + 1), message('b3', 'bob', noon + 2)];
    expect(shape(list, 'b2')).toEqual(['FL', 'F', 'L']);
  });

  it('keeps a run going across a time it cannot read (an old document’s)', () => {
    const list = [message('a1', 'ann', noon), message('a2', 'ann', 1e300), message('a3', 'ann', noon + minute)];
    expect(shape(list)).toEqual(['F', '-', 'L']);
  });

  it('has nothing for an empty list', () => {
    expect(runPlaces([]).size).toBe(0);
  });
});
