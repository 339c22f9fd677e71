/**
 * The social half of my `user/<id>` document (written by the server):
 * friends with my remarks, pending friend requests, and my own profile. It
 * is read from the local copy, so it works offline and changes live; the
 * components get immutable snapshots and re-render when one changes.
 */
import type * as Y from 'yjs';
import { friendsOf, profileOf, requestsOf, type FriendEntry, type FriendRequestEntry, type Profile } from '../../../shared/schema.js';
import type { ChatSession } from '../session/chat-session.js';
import { NO_REMARKS, remarksOf, sameRemarks, type Remarks } from './display-names.js';

export interface RequestLists {
  /** Asking me, newest first. */
  incoming: FriendRequestEntry[];
  /** Asked by me, newest first. */
  outgoing: FriendRequestEntry[];
}

export interface PeopleSnapshot {
  /** Sorted by the name I see (remark first), then id. */
  friends: FriendEntry[];
  /** Friend id → entry. */
  friendById: ReadonlyMap<string, FriendEntry>;
  remarks: Remarks;
  requests: RequestLists;
  /** My profile as the server last wrote it; empty until the document has loaded. */
  profile: Partial<Profile>;
}

/** Splits the `requests` map into incoming and outgoing lists, newest first, skipping malformed entries. */
export function requestLists(entries: Iterable<FriendRequestEntry>): RequestLists {
  const incoming: FriendRequestEntry[] = [];
  const outgoing: FriendRequestEntry[] = [];
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object' || !entry.person || typeof entry.person.id !== 'string') continue;
    if (entry.direction === 'incoming') incoming.push(entry);
    else if (entry.direction === 'outgoing') outgoing.push(entry);
  }
  const newestFirst = (a: FriendRequestEntry, b: FriendRequestEntry) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1);
  return { incoming: incoming.sort(newestFirst), outgoing: outgoing.sort(newestFirst) };
}

/** Friends in the order the list shows them: by the name I see, case- and accent-insensitively. */
export function sortedFriends(entries: Iterable<FriendEntry>, remarks: Remarks): FriendEntry[] {
  const named = [...entries]
    .filter((f) => f && typeof f.id === 'string' && typeof f.name === 'string')
    .map((friend) => ({ friend, shown: remarks.get(friend.id) ?? friend.name }));
  named.sort((a, b) => a.shown.localeCompare(b.shown, undefined, { sensitivity: 'base' }) || (a.friend.id < b.friend.id ? -1 : 1));
  return named.map((n) => n.friend);
}

export class PeopleDirectory extends EventTarget {
  private current: PeopleSnapshot | undefined;
  private previousRemarks: Remarks = NO_REMARKS;
  private readonly onChange = () => {
    this.current = undefined;
    this.dispatchEvent(new Event('change'));
  };

  constructor(private readonly doc: Y.Doc) {
    super();
    friendsOf(doc).observe(this.onChange);
    requestsOf(doc).observe(this.onChange);
    profileOf(doc).observe(this.onChange);
  }

  snapshot(): PeopleSnapshot {
    if (this.current) return this.current;
    const friendEntries = [...friendsOf(this.doc).values()];
    const fresh = remarksOf(friendEntries);
    // Keep the old map when nothing changed, so views keyed on it do not re-render.
    const remarks = sameRemarks(this.previousRemarks, fresh) ? this.previousRemarks : fresh;
    this.previousRemarks = remarks;
    const friends = sortedFriends(friendEntries, remarks);
    this.current = {
      friends,
      friendById: new Map(friends.map((f) => [f.id, f])),
      remarks,
      requests: requestLists(requestsOf(this.doc).values()),
      profile: Object.fromEntries(profileOf(this.doc).entries()) as Partial<Profile>,
    };
    return this.current;
  }

  close(): void {
    friendsOf(this.doc).unobserve(this.onChange);
    requestsOf(this.doc).unobserve(this.onChange);
    profileOf(this.doc).unobserve(this.onChange);
  }
}

const directories = new WeakMap<ChatSession, PeopleDirectory>();

/** The one directory of a session's user document. */
export function peopleOf(session: ChatSession): PeopleDirectory {
  let directory = directories.get(session);
  if (!directory) {
    directory = new PeopleDirectory(session.userDoc.doc);
    directories.set(session, directory);
  }
  return directory;
}
