/**
 * My friends' presence (issue 15): online, or when each was last seen, as the
 * server lets me see it (it leaves out whoever hides theirs, and tells me
 * nothing if I hide mine), and my own choice. Presence is worth nothing
 * offline or stale, so it is kept in memory only and asked again: when the
 * session starts, every `REFRESH_MS` while the page is visible, when the page
 * becomes visible again, when my user document reconnects, when a
 * conversation opens (`refreshSoon`), and when someone becomes or stops
 * being my friend (the server's entries in my user document).
 */
import type { LastSeenAudience, PresenceAnswer, PresenceOf } from '../../../shared/presence.js';
import type { ApiResult } from '../api/api-client.js';
import { presenceApi } from '../api/presence-client.js';
import type * as Y from 'yjs';
import { type FriendEntry, friendsOf } from '../../../shared/schema.js';
import type { ChatSession } from '../session/chat-session.js';

/** The part of the presence API this needs (PresenceClient). */
export interface PresenceApi {
  presence(): Promise<ApiResult<PresenceAnswer>>;
  setLastSeen(lastSeen: LastSeenAudience): Promise<ApiResult<{ lastSeen: LastSeenAudience }>>;
}

/** How often an open page asks again: the server renews an online mark every minute, so less would show nothing newer. */
export const REFRESH_MS = 30_000;
/** A conversation opening asks again unless the last answer is fresher than this. */
const FRESH_MS = 5_000;

export class FriendPresence extends EventTarget {
  private answer: PresenceAnswer | undefined;
  private answeredAt = 0;
  /** Counts changes of my setting made here: a refresh that started before one answers with what it undid. */
  private changes = 0;

  constructor(
    private readonly api: PresenceApi,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** A friend's presence, if the server lets me see it. */
  of(userId: string): PresenceOf | undefined {
    return this.answer?.people[userId];
  }

  /** My choice; undefined until the server answered once. */
  get lastSeen(): LastSeenAudience | undefined {
    return this.answer?.lastSeen;
  }

  /** Asks the server; keeps what it had when there is no answer (offline). */
  async refresh(): Promise<void> {
    const changesBefore = this.changes;
    const result = await this.api.presence();
    if (!result.ok || this.changes !== changesBefore) return;
    this.answer = result.value;
    this.answeredAt = this.now();
    this.dispatchEvent(new Event('change'));
  }

  /** Asks again unless the last answer is a few seconds old (a conversation just opened). */
  refreshSoon(): void {
    if (this.now() - this.answeredAt >= FRESH_MS) void this.refresh();
  }

  /** Changes who may see my last seen, then asks for everyone's again (hiding mine hides theirs from me). */
  async setLastSeen(lastSeen: LastSeenAudience): Promise<ApiResult<{ lastSeen: LastSeenAudience }>> {
    const result = await this.api.setLastSeen(lastSeen);
    if (result.ok) {
      this.changes++;
      await this.refresh();
    }
    return result;
  }
}

const books = new WeakMap<ChatSession, FriendPresence>();

/** The session's friend presence, made (and first asked for) on first use, asked again until the session closes. */
export function presenceOf(session: ChatSession): FriendPresence {
  const known = books.get(session);
  if (known) return known;
  const presence = new FriendPresence(presenceApi);
  books.set(session, presence);
  let wasSynced = session.userDoc.state.synced;
  const onConnection = () => {
    const synced = session.userDoc.state.synced;
    if (synced && !wasSynced) void presence.refresh();
    wasSynced = synced;
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') void presence.refresh();
  };
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') void presence.refresh();
  }, REFRESH_MS);
  // A new friend's presence is there at once, a former friend's goes (the server answers for current friends only).
  const friends = friendsOf(session.userDoc.doc);
  const onFriends = (event: Y.YMapEvent<FriendEntry>) => {
    if ([...event.changes.keys.values()].some((change) => change.action !== 'update')) void presence.refresh();
  };
  friends.observe(onFriends);
  session.userDoc.addEventListener('change', onConnection);
  document.addEventListener('visibilitychange', onVisible);
  session.onClose(() => {
    clearInterval(timer);
    friends.unobserve(onFriends);
    session.userDoc.removeEventListener('change', onConnection);
    document.removeEventListener('visibilitychange', onVisible);
  });
  void presence.refresh();
  return presence;
}
