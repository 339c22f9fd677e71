/**
 * The device search of a signed-in session: one per session, made on first
 * use, following every conversation the session has open, each segment of it (and the fresh
 * copy that replaces a refused one), saved when the page is hidden, closed
 * with the session and its database deleted at sign-out.
 */
import type { ChatSession } from '../session/chat-session.js';
import { deleteDatabase } from '../sync/local-data.js';
import { DeviceSearch } from './device-search.js';
import { SearchStore, searchDatabaseName } from './search-store.js';

const searches = new WeakMap<ChatSession, DeviceSearch>();

export function searchOf(session: ChatSession): DeviceSearch {
  const existing = searches.get(session);
  if (existing) return existing;
  const search = new DeviceSearch(new SearchStore(session.me.id));
  const followOpen = () => {
    for (const { id } of session.conversations()) {
      // Every segment the person opened: a conversation's newest and the older ones scrolled to.
      for (const { segment, connection } of session.openedSegments(id)) search.follow(id, connection, segment);
    }
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') void search.flush();
  };
  const onPageHide = () => void search.flush();
  session.addEventListener('change', followOpen);
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', onPageHide);
  followOpen();
  session.onClose(async (deleteLocalData) => {
    session.removeEventListener('change', followOpen);
    document.removeEventListener('visibilitychange', onHidden);
    window.removeEventListener('pagehide', onPageHide);
    await search.close(!deleteLocalData);
    if (deleteLocalData) await deleteDatabase(searchDatabaseName(session.me.id));
  });
  searches.set(session, search);
  return search;
}
