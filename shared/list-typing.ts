/**
 * Typing shown in the conversation list (issue 15): the server gathers who
 * types in each conversation (its members' presence, checked per connection)
 * and puts it, for each member, into the presence of their own `user/<id>`
 * document, the one document the app always has open. One field of the
 * server's awareness state there, read by the list.
 */

/** The awareness field of the server's state in `user/<id>`: conversation id → who types there now (never the reader). */
export const LIST_TYPING_FIELD = 'typingIn';

/** A person typing, with their name as the conversation's `meta` has it (the page may show its own remark instead). */
export interface ListTyper {
  id: string;
  name: string;
}

export type ListTyping = Record<string, ListTyper[]>;
