/**
 * A WebSocket class for the app's providers under Node that sends `cookie`,
 * as the browser sends the session cookie (`ws` implements the browser's
 * WebSocket API the providers use).
 */
import WebSocket from 'ws';

export function cookieSocket(cookie: string): typeof globalThis.WebSocket {
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL) {
      super(url, { headers: { cookie } });
    }
  }
  return CookieWebSocket as unknown as typeof globalThis.WebSocket;
}
