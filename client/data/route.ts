/** The app's few routes, read from and written to `location.pathname`. */
import { isValidId } from '../../shared/doc-names.js';

export type Route =
  | { kind: 'home' }
  | { kind: 'conversation'; id: string }
  /** The activation link from the mail: `/activate?token=…`. */
  | { kind: 'activate'; token: string };

const CONVERSATION_PREFIX = '/c/';

export function parseRoute(location: Pick<Location, 'pathname' | 'search'>): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/activate') return { kind: 'activate', token: new URLSearchParams(location.search).get('token') ?? '' };
  if (path.startsWith(CONVERSATION_PREFIX)) {
    const id = decodeURIComponent(path.slice(CONVERSATION_PREFIX.length));
    if (isValidId(id)) return { kind: 'conversation', id };
  }
  return { kind: 'home' };
}

export function routePath(route: Route): string {
  switch (route.kind) {
    case 'home':
      return '/';
    case 'conversation':
      return CONVERSATION_PREFIX + encodeURIComponent(route.id);
    case 'activate':
      return `/activate?token=${encodeURIComponent(route.token)}`;
  }
}
