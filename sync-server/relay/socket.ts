/**
 * The little the relay needs from a WebSocket. Rooms depend on this, not on
 * `ws`, so their logic can be tested without a network.
 */
export interface RelaySocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued but not yet sent; a connection that cannot keep up is closed. */
  readonly bufferedAmount: number;
}
