/** How a visitor's conversation and sync sessions are named. */

export function widgetConversationId(guestId: string): string {
  return `w${guestId}`.slice(0, 64);
}

/** The `sessionId` of a visitor's sync connections, so blocking closes them. */
export function visitorSessionId(guestId: string): string {
  return `visitor:${guestId}`;
}
