/**
 * A system message in the reader's language: the server stores what
 * happened (shared/system-events.ts) beside an English text; older messages
 * without an event keep their text.
 */
import { msg, str } from '@lit/localize';
import type { Message } from '../../../shared/schema.js';
import { type SystemEvent, systemEventOf } from '../../../shared/system-events.js';

function worded(event: SystemEvent): string {
  const { actor } = event;
  switch (event.type) {
    case 'created':
      return msg(str`${actor} created the group “${event.title}”`);
    case 'added':
      return msg(str`${actor} added ${event.names.join(msg(', '))}`);
    case 'joined':
      return msg(str`${actor} joined with an invite link`);
    case 'left':
      return msg(str`${actor} left`);
    case 'removed':
      return msg(str`${actor} removed ${event.target}`);
    case 'renamed':
      return msg(str`${actor} renamed the group to “${event.title}”`);
    case 'notice':
      return msg(str`${actor} updated the notice`);
    case 'picture':
      return msg(str`${actor} changed the group picture`);
    case 'role':
      return event.role === 'admin' ? msg(str`${actor} made ${event.target} an admin`) : msg(str`${actor} made ${event.target} a member`);
    case 'handed-over':
      return msg(str`${actor} handed the group over to ${event.target}`);
    case 'disbanded':
      return msg(str`${actor} disbanded the group`);
    case 'account-deleted':
      return event.newOwner
        ? msg(str`A member deleted their account; ${event.newOwner} is the owner now`)
        : msg('A member deleted their account');
  }
}

/** The text to show for a system message, in the current language when it carries its event. */
export function systemMessageText(message: Pick<Message, 'text' | 'event'>): string {
  const event = systemEventOf(message.event);
  return event ? worded(event) : message.text;
}
