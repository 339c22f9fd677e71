/**
 * The little the relay needs from a WebSocket. Rooms depend on this, not on
 * `ws`, so their logic can be tested without a network.
 */
export interface RelaySocket {
  /** Queues a frame; `written` is called once it has left the process (or failed to). */
  send(data: Uint8Array, written?: (error?: Error) => void): void;
  close(code: number, reason: string): void;
  /**
   * Drops the connection at once, discarding what is queued to it: a socket
   * that stopped reading would never take a close frame queued behind the rest.
   */
  terminate?(): void;
  /** Bytes queued but not yet sent. */
  readonly bufferedAmount: number;
}
