/**
 * What a server-written ("system") message in a group says, as data: each
 * client words it in its reader's language (client/data/messages/system-event-text.ts),
 * since one group holds people of several. The message's `text` keeps the
 * English wording for older clients, search and notifications.
 */

export type SystemEvent =
  | { type: 'created'; actor: string; title: string }
  | { type: 'added'; actor: string; names: string[] }
  | { type: 'joined'; actor: string }
  | { type: 'left'; actor: string }
  | { type: 'removed'; actor: string; target: string }
  | { type: 'renamed'; actor: string; title: string }
  | { type: 'notice'; actor: string }
  | { type: 'picture'; actor: string }
  | { type: 'role'; actor: string; target: string; role: 'admin' | 'member' }
  | { type: 'handed-over'; actor: string; target: string }
  | { type: 'disbanded'; actor: string }
  /** A member deleted their account (no name: it is erased); `newOwner` when the group passed to them. */
  | { type: 'account-deleted'; actor: ''; newOwner?: string };

/** The English wording of an event (the message's `text`). */
export function englishSystemText(event: SystemEvent): string {
  switch (event.type) {
    case 'created':
      return `${event.actor} created the group "${event.title}"`;
    case 'added':
      return `${event.actor} added ${event.names.join(', ')}`;
    case 'joined':
      return `${event.actor} joined with an invite link`;
    case 'left':
      return `${event.actor} left`;
    case 'removed':
      return `${event.actor} removed ${event.target}`;
    case 'renamed':
      return `${event.actor} renamed the group to "${event.title}"`;
    case 'notice':
      return `${event.actor} updated the notice`;
    case 'picture':
      return `${event.actor} changed the group picture`;
    case 'role':
      return `${event.actor} made ${event.target} ${event.role === 'admin' ? 'an admin' : 'a member'}`;
    case 'handed-over':
      return `${event.actor} handed the group over to ${event.target}`;
    case 'disbanded':
      return `${event.actor} disbanded the group`;
    case 'account-deleted':
      return event.newOwner ? `A member deleted their account; ${event.newOwner} is the owner now` : 'A member deleted their account';
  }
}

/** The event of a stored message, when it is a well-formed one (documents are read as untrusted input). */
export function systemEventOf(value: unknown): SystemEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Record<string, unknown>;
  const text = (key: string) => typeof event[key] === 'string';
  if (!text('actor')) return undefined;
  switch (event.type) {
    case 'created':
    case 'renamed':
      return text('title') ? (event as SystemEvent) : undefined;
    case 'added':
      return Array.isArray(event.names) && event.names.every((name) => typeof name === 'string') ? (event as SystemEvent) : undefined;
    case 'removed':
    case 'handed-over':
      return text('target') ? (event as SystemEvent) : undefined;
    case 'role':
      return text('target') && (event.role === 'admin' || event.role === 'member') ? (event as SystemEvent) : undefined;
    case 'joined':
    case 'left':
    case 'notice':
    case 'picture':
    case 'disbanded':
      return event as SystemEvent;
    case 'account-deleted':
      return event.actor === '' && (event.newOwner === undefined || text('newOwner')) ? (event as SystemEvent) : undefined;
    default:
      return undefined;
  }
}
