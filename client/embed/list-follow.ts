/**
 * Where the widget's message list scrolls when its messages change (issue
 * 15), by the app's rule (message-window-controller.ts): it follows new
 * messages while the newest is in view, and stays where the visitor is when
 * they scrolled up to read, where the jump-to-latest button counts what
 * came in below. Older history arriving above keeps what is on screen in
 * place; the visitor's own new message brings them down to it. Pure.
 */

/** Within this many pixels of the bottom, the newest message counts as in view (the app's bound). */
export const STICK_TO_BOTTOM_PX = 80;

/** What the list knew of itself before an update. */
export interface ListBefore {
  /** scrollHeight - scrollTop: kept when older messages come in above. */
  fromBottom: number;
  atBottom: boolean;
  firstId: string | undefined;
  lastId: string | undefined;
}

/** What the list holds after it. */
export interface ListAfter {
  ids: readonly string[];
  /** Whether the newest message is the visitor's own. */
  lastMine: boolean;
}

/** 'bottom': to the newest; 'keep': the same distance from the bottom (older came in above); 'stay': scrollTop unchanged. */
export type FollowMove = 'bottom' | 'keep' | 'stay';

export function isAtBottom(scroll: { scrollHeight: number; scrollTop: number; clientHeight: number }): boolean {
  return scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < STICK_TO_BOTTOM_PX;
}

export function followMove(before: ListBefore | null, after: ListAfter): FollowMove {
  // Nothing was shown yet: the list opens at the newest (the divider, if any, is placed after).
  if (!before || before.lastId === undefined) return 'bottom';
  // Another list altogether (a reset opened a new conversation): it opens at the newest too.
  if (!after.ids.includes(before.lastId) && (before.firstId === undefined || !after.ids.includes(before.firstId))) return 'bottom';
  const firstId = after.ids[0];
  const lastId = after.ids.at(-1);
  const prepended = before.firstId !== undefined && firstId !== before.firstId && after.ids.includes(before.firstId);
  if (prepended && lastId === before.lastId) return 'keep';
  if (lastId !== before.lastId && after.lastMine) return 'bottom';
  if (before.atBottom) return 'bottom';
  return prepended ? 'keep' : 'stay';
}
