/**
 * The typing indicator rides on awareness (short-lived state, never in the
 * document): each replica sets `{user: {id, name}, typing: true}` while its
 * person types. The server's robot does the same while it thinks.
 */
import { joinNames } from './reactions.js';

/** Who may be typing, as awareness states carry it. */
export interface TypingState {
  user?: { id?: unknown; name?: unknown };
  typing?: unknown;
}

/**
 * Names of the people typing, from every awareness state but my own
 * (`meId` also skips my other tabs). A member's name from the document wins
 * over the one in the state, which any replica could set.
 */
export function typingNames(
  states: ReadonlyMap<number, TypingState>,
  ownClientId: number,
  meId: string,
  nameOf: (userId: string) => string | undefined,
): string[] {
  const names = new Set<string>();
  for (const [clientId, state] of states) {
    if (clientId === ownClientId || state?.typing !== true) continue;
    const id = typeof state.user?.id === 'string' ? state.user.id : undefined;
    if (!id || id === meId) continue;
    const claimed = typeof state.user?.name === 'string' ? state.user.name : undefined;
    names.add(nameOf(id) ?? claimed ?? 'Someone');
  }
  return [...names].sort();
}

/** "Alice is typing…", "Alice and Bob are typing…", "Alice, Bob and 2 others are typing…". */
export function typingLabel(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length <= 3) return `${joinNames(names)} are typing…`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others are typing…`;
}
