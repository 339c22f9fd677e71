/**
 * Cross-site request refusal. A state-changing request must come from our
 * own pages: its `Origin` is the public URL's origin or the origin of the
 * host it was sent to. Browsers always send `Origin` on cross-site POSTs and
 * WebSocket upgrades; a request without one comes from a non-browser
 * client, which cannot carry a victim's cookie, unless `Sec-Fetch-Site`
 * says it is cross-site.
 */
import type { IncomingMessage } from 'node:http';

export function createOriginCheck(publicUrl: string): (request: IncomingMessage) => boolean {
  const publicOrigin = new URL(publicUrl).origin;
  return (request) => {
    const origin = request.headers.origin;
    if (origin === undefined) return request.headers['sec-fetch-site'] !== 'cross-site';
    if (origin === publicOrigin) return true;
    const host = request.headers.host;
    if (!host) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  };
}
