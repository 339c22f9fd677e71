import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf, pinsOf } from '../../../shared/schema.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { latestPin, newestPinId, pinnedIds, togglePin } from './pins.js';

describe('pins', () => {
  it('pin in my name, unpin any pin, and the bar shows the newest pin whose message is still there', () => {
    const doc = new Y.Doc();
    const first = writeMessage(doc, 'bob', 'first');
    const second = writeMessage(doc, 'bob', 'second');
    expect(latestPin(doc)).toBeNull();
    expect(togglePin(doc, 'ada', first.id, 1_700_000_000_000)).toEqual({ ok: true });
    expect(togglePin(doc, 'ada', second.id, 1_700_000_001_000)).toEqual({ ok: true });
    expect(pinsOf(doc).get(second.id)).toEqual({ by: 'ada', at: 1_700_000_001_000 });
    expect(latestPin(doc)).toMatchObject({ message: { id: second.id }, count: 2 });
    // Bob unpins Ada's pin: the board is the conversation's.
    expect(togglePin(doc, 'bob', second.id)).toEqual({ ok: true });
    expect([...pinnedIds(doc)]).toEqual([first.id]);
    expect(latestPin(doc)).toMatchObject({ message: { id: first.id }, count: 1 });
    // A deleted message leaves the bar.
    messagesOf(doc).set(first.id, { ...first, text: '', deleted: true });
    expect(latestPin(doc)).toBeNull();
  });

  it('refuses what the relay would refuse, writing nothing', () => {
    const doc = new Y.Doc();
    expect(togglePin(doc, 'ada', 'not-a-message-id')).toMatchObject({ ok: false });
    expect(pinsOf(doc).size).toBe(0);
  });

  it('names the newest pin even when its message is not at hand (in a history segment not opened yet)', () => {
    const doc = new Y.Doc();
    expect(newestPinId(doc)).toBeUndefined();
    const here = writeMessage(doc, 'bob', 'here');
    expect(togglePin(doc, 'ada', here.id, 1_700_000_000_000)).toEqual({ ok: true });
    // A message kept in another segment: pinned later, so newest, though this document does not hold it.
    const elsewhere = writeMessage(new Y.Doc(), 'bob', 'elsewhere');
    pinsOf(doc).set(elsewhere.id, { by: 'ada', at: 1_700_000_002_000 });
    expect(newestPinId(doc)).toBe(elsewhere.id);
    expect(latestPin(doc)).toMatchObject({ message: { id: here.id }, count: 1 });
    // Same time: the larger id, as the bar orders them.
    pinsOf(doc).set(here.id, { by: 'ada', at: 1_700_000_002_000 });
    expect(newestPinId(doc)).toBe([here.id, elsewhere.id].sort()[1]);
  });
});
