import { expect, it } from 'vitest';
import { englishSystemText, type SystemEvent } from '../../../shared/system-events.js';
import { systemMessageText } from './system-event-text.js';

const EVENTS: SystemEvent[] = [
  { type: 'created', actor: 'Ann', title: 'Team' },
  { type: 'added', actor: 'Ann', names: ['Bob', 'Cy'] },
  { type: 'joined', actor: 'Bob' },
  { type: 'left', actor: 'Bob' },
  { type: 'removed', actor: 'Ann', target: 'Bob' },
  { type: 'renamed', actor: 'Ann', title: 'Crew' },
  { type: 'notice', actor: 'Ann' },
  { type: 'picture', actor: 'Ann' },
  { type: 'role', actor: 'Ann', target: 'Bob', role: 'admin' },
  { type: 'role', actor: 'Ann', target: 'Bob', role: 'member' },
  { type: 'handed-over', actor: 'Ann', target: 'Bob' },
  { type: 'disbanded', actor: 'Ann' },
];

it('words every system event (in English here, the source language) with its names', () => {
  for (const event of EVENTS) {
    const shown = systemMessageText({ text: englishSystemText(event), event });
    expect(shown.replace(/[“”]/g, '"')).toBe(englishSystemText(event));
  }
});

it('falls back to the stored text for an old message or a malformed event', () => {
  expect(systemMessageText({ text: 'Ann left' })).toBe('Ann left');
  const forged = { type: 'added', actor: 'Ann', names: [{ not: 'a name' }] } as unknown as SystemEvent;
  expect(systemMessageText({ text: 'stored', event: forged })).toBe('stored');
  expect(systemMessageText({ text: 'stored', event: { type: 'nonsense', actor: 'x' } as unknown as SystemEvent })).toBe('stored');
});
