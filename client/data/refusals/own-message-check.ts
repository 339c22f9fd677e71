/**
 * Whether a message of mine may be written into a conversation again after
 * the relay refused this device's replica: the relay's own rules
 * (shared/message-rules.ts), so a message that would be refused again is
 * offered for discarding only.
 */
import { checkMessage } from '../../../shared/message-rules.js';
import type { Message } from '../../../shared/schema.js';

/** Why `message` can never be sent by `meId` as it is, or null when it can. */
export function problemWithOwnMessage(message: Message, meId: string): string | null {
  return checkMessage(message.id, message, meId)?.detail ?? null;
}
