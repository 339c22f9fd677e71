/**
 * The picture outbox of a signed-in session: one per session, made on first
 * use, closed with it (its database deleted on sign-out).
 */
import type { ChatSession } from '../session/chat-session.js';
import { deleteDatabase } from '../sync/local-data.js';
import { PictureOutbox } from './picture-outbox.js';
import { pictureDatabaseName, PictureStore } from './picture-store.js';

const outboxes = new WeakMap<ChatSession, PictureOutbox>();

export function picturesOf(session: ChatSession): PictureOutbox {
  let outbox = outboxes.get(session);
  if (outbox) return outbox;
  const created = new PictureOutbox(
    {
      meId: session.me.id,
      conversationDoc: async (conversationId) => {
        await session.openConversation(conversationId).whenLocalLoaded;
        // New messages go into the newest segment (docs/SEGMENTS.md), known once `conv/<id>`'s list is loaded.
        await session.segments(conversationId).writer().whenLocalLoaded;
        // A refused replica is replaced by a fresh one: write into whichever is current.
        return session.segments(conversationId).writer().doc;
      },
      write: (conversationId, message) => session.writeMessage(conversationId, message),
      mayUpload: () => !session.sessionEnded(),
      isOnline: () => navigator.onLine,
    },
    new PictureStore(session.me.id),
    { loadUploader: async () => (await import('./picture-upload.js')).uploadPicture },
  );
  const wake = () => created.wake();
  const onVisible = () => {
    if (document.visibilityState === 'visible') created.wake();
  };
  // Signed in again after the session ended: what waited may go now.
  let ended = session.sessionEnded();
  const onSession = () => {
    const now = session.sessionEnded();
    if (ended && !now) created.wake();
    ended = now;
  };
  session.addEventListener('change', onSession);
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', onVisible);
  session.onClose(async (deleteLocalData) => {
    session.removeEventListener('change', onSession);
    window.removeEventListener('online', wake);
    document.removeEventListener('visibilitychange', onVisible);
    created.close();
    if (deleteLocalData) await deleteDatabase(pictureDatabaseName(session.me.id));
  });
  outboxes.set(session, (outbox = created));
  return outbox;
}
