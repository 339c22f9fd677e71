/** Headers every response carries: no framing, no sniffing, a strict CSP, and HSTS behind https. */
import type { RequestHandler } from 'express';

/** The policy for our pages; `frameAncestors` is `'none'` except for the widget's frame. */
export function contentSecurityPolicy(frameAncestors = "'none'"): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Lit's adopted stylesheets need no inline styles, but style attributes set by components do.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // A voice message plays from its local copy (blob:) while it waits to be sent, and in the widget's frame always (issue 15).
    "media-src 'self' blob:",
    "connect-src 'self' ws: wss:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** A year: browsers then refuse plain http to this host, so a network attacker cannot downgrade a visit. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * The headers middleware. `https` (PUBLIC_URL is https) adds HSTS; never on
 * http, where it would pin a development host (localhost) to https. Without
 * `includeSubDomains`: other hosts of the operator's domain are not ours to pin.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (options.https) res.setHeader('Strict-Transport-Security', `max-age=${HSTS_MAX_AGE_SECONDS}`);
    next();
  };
}
