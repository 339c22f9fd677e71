/** The panels chat-home opens over the app, and the events that open them. */

/** What is known about a person where their profile was opened from, shown until (or instead of, offline) the server answers. */
export interface PersonHint {
  name: string;
  avatar?: string;
}

export type Sheet =
  | { kind: 'person'; userId: string; hint?: PersonHint }
  | { kind: 'group-create' }
  | { kind: 'group-info'; conversationId: string }
  | { kind: 'profile-edit' }
  | { kind: 'join'; code: string };

/** Detail of `show-person`: open someone's profile. */
export interface ShowPersonDetail {
  userId: string;
  hint?: PersonHint;
}

/** Fires `show-person` from a component (bubbles out of shadow roots). */
export function showPerson(host: EventTarget, userId: string, hint?: PersonHint): void {
  host.dispatchEvent(new CustomEvent<ShowPersonDetail>('show-person', { detail: { userId, hint }, bubbles: true, composed: true }));
}

/** Fires `open-conversation` (chat-app routes to it; open panels close). */
export function openConversation(host: EventTarget, id: string): void {
  host.dispatchEvent(new CustomEvent('open-conversation', { detail: { id }, bubbles: true, composed: true }));
}

/** Asks the panel around the host to close. */
export function closeSheet(host: EventTarget): void {
  host.dispatchEvent(new CustomEvent('sheet-close', { bubbles: true, composed: true }));
}
