import { describe, expect, it } from 'vitest';
import { isValidMessageId } from '../../shared/message-id.js';
import { generateId } from '../ids/random-ids.js';
import { reminderMessageId } from './reminders.js';

describe('reminderMessageId', () => {
  const dueAt = Date.UTC(2026, 11, 6, 11, 0);

  it('gives one reminder the same valid message id every time (a retry after a re-claim is the same message)', () => {
    const reminder = { id: generateId(), dueAt };
    const id = reminderMessageId(reminder);
    expect(isValidMessageId(id)).toBe(true);
    expect(reminderMessageId({ ...reminder })).toBe(id);
  });

  it('gives reminders whose ids share their first 12 characters different message ids', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `sharedprefix${String(i).padStart(8, '0')}`);
    const messageIds = new Set(ids.map((id) => reminderMessageId({ id, dueAt })));
    expect(messageIds.size).toBe(100);
    for (const id of messageIds) expect(isValidMessageId(id)).toBe(true);
  });

  it('sorts by due time first', () => {
    const id = generateId();
    expect(reminderMessageId({ id, dueAt }) < reminderMessageId({ id, dueAt: dueAt + 1 })).toBe(true);
  });
});
