/**
 * What a search shows: messages found on this device and by the server,
 * each once, grouped by conversation (the group with the newest hit first,
 * newest hits first inside), and the conversations and people whose names
 * match. Pure, so the rules are unit-tested apart from the screen.
 */
import type { ConversationSummary, FriendEntry } from '../../../shared/schema.js';
import type { SearchHit } from '../../../shared/search-api.js';
import { matchesQuery } from '../../../shared/search-tokens.js';
import { conversationTitle, type Remarks } from '../people/display-names.js';
import type { DeviceHit } from './device-search.js';

/** One message in the results. */
export interface MessageResult {
  conversationId: string;
  messageId: string;
  author: string;
  text: string;
  createdAt: number;
  /** Found by the server only: this device does not hold it (yet). */
  fromServer: boolean;
}

export interface ResultGroup {
  conversationId: string;
  messages: MessageResult[];
}

/**
 * Device hits and server hits, each message once (the device's copy wins),
 * grouped by conversation. `deletedHere` says whether this device knows the
 * message as deleted: a server answer that raced a delete is not shown.
 */
export function groupResults(
  device: readonly DeviceHit[],
  server: readonly SearchHit[],
  deletedHere: (conversationId: string, messageId: string) => boolean = () => false,
): ResultGroup[] {
  const all: MessageResult[] = device.map((hit) => ({
    conversationId: hit.conversationId,
    messageId: hit.id,
    author: hit.author,
    text: hit.text,
    createdAt: hit.createdAt,
    fromServer: false,
  }));
  const seen = new Set(all.map((m) => m.messageId));
  for (const hit of server) {
    if (seen.has(hit.messageId) || deletedHere(hit.conversationId, hit.messageId)) continue;
    seen.add(hit.messageId);
    all.push({ ...hit, fromServer: true });
  }
  all.sort((a, b) => b.createdAt - a.createdAt || (a.messageId < b.messageId ? 1 : -1));
  const groups = new Map<string, ResultGroup>();
  for (const message of all) {
    let group = groups.get(message.conversationId);
    if (!group) groups.set(message.conversationId, (group = { conversationId: message.conversationId, messages: [] }));
    group.messages.push(message);
  }
  return [...groups.values()];
}

/** Conversations of my list whose title (as I see it, remarks included) matches. */
export function matchingConversations(list: readonly ConversationSummary[], remarks: Remarks, query: string): ConversationSummary[] {
  return list.filter((summary) => matchesQuery(conversationTitle(summary, remarks), query));
}

/** Friends whose name or my remark for them matches. */
export function matchingPeople(friends: readonly FriendEntry[], remarks: Remarks, query: string): FriendEntry[] {
  return friends.filter((friend) => matchesQuery(`${remarks.get(friend.id) ?? ''} ${friend.name}`, query));
}
