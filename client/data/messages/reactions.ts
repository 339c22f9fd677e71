/**
 * Reactions as the message list shows them: per message, each emoji with
 * who reacted, in the same order on every replica. The `reactions` map
 * holds one key per person and emoji (`msgId emoji userId`), so nobody can
 * take back another person's reaction.
 */
import type * as Y from 'yjs';
import { parseReactionKey, reactionsOf } from '../../../shared/schema.js';

export interface ReactionSummary {
  emoji: string;
  userIds: string[];
}

/** Groups a conversation's reactions by message. */
export function reactionsByMessage(doc: Y.Doc): Map<string, ReactionSummary[]> {
  const keys: string[] = [];
  reactionsOf(doc).forEach((value, key) => {
    if (value === true) keys.push(key);
  });
  return groupReactions(keys);
}

/** The pure part of `reactionsByMessage`, over reaction keys. Keys that do not parse are skipped. */
export function groupReactions(keys: Iterable<string>): Map<string, ReactionSummary[]> {
  const result = new Map<string, ReactionSummary[]>();
  // Sorted so every replica lists the same emoji in the same order.
  for (const key of [...keys].sort()) {
    const parts = parseReactionKey(key);
    if (!parts) continue;
    let list = result.get(parts.messageId);
    if (!list) result.set(parts.messageId, (list = []));
    let entry = list.find((summary) => summary.emoji === parts.emoji);
    if (!entry) list.push((entry = { emoji: parts.emoji, userIds: [] }));
    entry.userIds.push(parts.userId);
  }
  return result;
}

/** "Alice, Bob and 3 others": who reacted, for a tooltip. */
export function reactorNames(userIds: readonly string[], nameOf: (id: string) => string, meId: string, shown = 5): string {
  const names = userIds.map((id) => (id === meId ? 'You' : nameOf(id)));
  if (names.length <= shown) return joinNames(names);
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} others`;
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
