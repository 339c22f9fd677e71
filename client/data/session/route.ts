/** The app's few routes, read from and written to `location.pathname`. */
import { isValidId } from '../../../shared/doc-names.js';

export type Route =
  | { kind: 'home' }
  | { kind: 'conversation'; id: string }
  /** The activation link from the mail: `/activate?token=…`, with `&join=<code>` when the person signed up from an invite. */
  | { kind: 'activate'; token: string; join?: string }
  /** The password reset link from the mail: `/reset?token=…`. */
  | { kind: 'reset'; token: string }
  /** The link mailed to a new email address (account settings): `/confirm-email?token=…`. */
  | { kind: 'confirm-email'; token: string }
  /** The link mailed to the address an account left (account settings): `/revert-email?token=…`. */
  | { kind: 'revert-email'; token: string }
  /** An invite link to a group: `/join/<code>` (a preview, then join). */
  | { kind: 'join'; code: string };

const CONVERSATION_PREFIX = '/c/';
const JOIN_PREFIX = '/join/';

/** Invite codes are the server's random tokens: lower-case base32. */
export function isInviteCode(text: string): boolean {
  return /^[a-z2-7]{16,64}$/.test(text);
}

export function parseRoute(location: Pick<Location, 'pathname' | 'search'>): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/activate') {
    const join = new URLSearchParams(location.search).get('join') ?? '';
    return isInviteCode(join)
      ? { kind: 'activate', token: tokenOf(location.search), join }
      : { kind: 'activate', token: tokenOf(location.search) };
  }
  if (path === '/reset') return { kind: 'reset', token: tokenOf(location.search) };
  if (path === '/confirm-email') return { kind: 'confirm-email', token: tokenOf(location.search) };
  if (path === '/revert-email') return { kind: 'revert-email', token: tokenOf(location.search) };
  if (path.startsWith(CONVERSATION_PREFIX)) {
    const id = decoded(path.slice(CONVERSATION_PREFIX.length));
    if (isValidId(id)) return { kind: 'conversation', id };
  }
  if (path.startsWith(JOIN_PREFIX)) {
    const code = decoded(path.slice(JOIN_PREFIX.length));
    if (isInviteCode(code)) return { kind: 'join', code };
  }
  return { kind: 'home' };
}

/** A screen opened from a link in a mail (its views load with the sign-up screens). */
export function isMailLinkRoute(route: Route): boolean {
  return route.kind === 'activate' || route.kind === 'reset' || route.kind === 'confirm-email' || route.kind === 'revert-email';
}

export function routePath(route: Route): string {
  switch (route.kind) {
    case 'home':
      return '/';
    case 'conversation':
      return CONVERSATION_PREFIX + encodeURIComponent(route.id);
    case 'activate':
      return `/activate?token=${encodeURIComponent(route.token)}${route.join ? `&join=${encodeURIComponent(route.join)}` : ''}`;
    case 'reset':
      return `/reset?token=${encodeURIComponent(route.token)}`;
    case 'confirm-email':
      return `/confirm-email?token=${encodeURIComponent(route.token)}`;
    case 'revert-email':
      return `/revert-email?token=${encodeURIComponent(route.token)}`;
    case 'join':
      return JOIN_PREFIX + encodeURIComponent(route.code);
  }
}

/** The `token` query parameter of a mailed link; '' when there is none. */
function tokenOf(search: string): string {
  return new URLSearchParams(search).get('token') ?? '';
}

/** A path segment decoded; '' when its escapes are malformed (decodeURIComponent throws on those). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
