/**
 * Constants of the sync protocol between the browser and the relay.
 * The wire format itself is y-protocols' (see docs/PROTOCOL.md).
 */

/**
 * A cookie the page can read, set and cleared with the HttpOnly session
 * cookie (same lifetime, no secret in it): the page opens its relay socket
 * early only while it is there, so a signed-out visitor opens none.
 */
export const SIGNED_IN_COOKIE = 'hc_signed_in';

/** The relay serves documents on `${SYNC_PATH}/<docName>`. */
export const SYNC_PATH = '/sync';

/** First varuint of every frame, as in y-websocket. */
export const MessageType = {
  sync: 0,
  awareness: 1,
} as const;

/**
 * Close codes the relay uses. The client's data layer stops reconnecting on
 * the permanent ones (unauthenticated, forbidden) instead of retrying forever.
 */
export const CloseCode = {
  /** No valid session (never had one, expired, or signed out). */
  unauthenticated: 4401,
  /** Signed in, but not allowed to open this document (not a member, removed). */
  forbidden: 4403,
  /** The connection sent a frame or update the relay refuses. */
  invalidUpdate: 4400,
  /** The connection sent more than its rate limit allows. */
  rateLimited: 4429,
  /**
   * The person wrote more than their write quota allows, or the conversation
   * reached its size budget. Nothing was stored; the device keeps the change
   * and may try again later (docs/SECURITY.md, "Write quotas").
   */
  quotaExceeded: 4413,
  /**
   * The server cannot store anything right now (its disk is full or its store
   * failed). Nothing was stored; the device keeps every change and retries.
   */
  storageUnavailable: 4507,
  /** The connection could not keep up with what it must receive. */
  tryAgainLater: 1013,
  /** The server is shutting down. */
  goingAway: 1001,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help until the person acts. */
export const PERMANENT_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.unauthenticated, CloseCode.forbidden]);

/** Human text for a close code, shown by the client when sync stops. */
export function describeCloseCode(code: number): string {
  switch (code) {
    case CloseCode.unauthenticated:
      return 'Your session has ended. Please sign in again.';
    case CloseCode.forbidden:
      return 'You are not a member of this conversation.';
    case CloseCode.invalidUpdate:
      return 'The server refused a change from this device.';
    case CloseCode.rateLimited:
      return 'Too many changes at once; slowing down.';
    case CloseCode.quotaExceeded:
      return 'You have sent a lot in a short time; your messages are kept and will be sent later.';
    case CloseCode.storageUnavailable:
      return 'The server is out of space; your messages are kept and will be sent when it recovers.';
    default:
      return 'Connection lost.';
  }
}
