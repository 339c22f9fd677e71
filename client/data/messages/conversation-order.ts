/**
 * The order of the conversation list: by last activity, newest first, as
 * messengers show it. A conversation's activity is its head's time (the
 * newest stored message, shared/heads.ts), or when it was made if it has no
 * message yet. Ties keep a stable order (by id), so the list does not jump.
 */
import type { Head } from '../../../shared/heads.js';
import type { ListState } from '../../../shared/list-state.js';
import type { ConversationSummary } from '../../../shared/schema.js';

/** When the conversation last saw activity, for ordering. */
export function lastActivity(summary: ConversationSummary, head: Head | undefined): number {
  return Math.max(head?.at ?? 0, summary.createdAt);
}

/** The summaries, newest activity first. */
export function byLastActivity(summaries: readonly ConversationSummary[], headOf: (id: string) => Head | undefined): ConversationSummary[] {
  return summaries
    .map((summary) => ({ summary, at: lastActivity(summary, headOf(summary.id)) }))
    .sort((a, b) => b.at - a.at || (a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0))
    .map(({ summary }) => summary);
}

/** The list in its two parts: pinned on top (latest pinned first), then by activity; archived ones apart, by activity. */
export interface ListSections {
  main: ConversationSummary[];
  archived: ConversationSummary[];
}

/**
 * Splits the list by my choices (shared/list-state.ts). An archived
 * conversation stays archived when a message arrives (WhatsApp's "keep chats
 * archived"; docs/CLIENT.md, "List actions").
 */
export function listSections(
  summaries: readonly ConversationSummary[],
  headOf: (id: string) => Head | undefined,
  stateOf: (id: string) => ListState,
): ListSections {
  const ordered = byLastActivity(summaries, headOf);
  const pinned = ordered.filter((s) => stateOf(s.id).pinnedAt !== undefined && !stateOf(s.id).archived);
  pinned.sort((a, b) => (stateOf(b.id).pinnedAt ?? 0) - (stateOf(a.id).pinnedAt ?? 0));
  const rest = ordered.filter((s) => stateOf(s.id).pinnedAt === undefined && !stateOf(s.id).archived);
  return { main: [...pinned, ...rest], archived: ordered.filter((s) => stateOf(s.id).archived) };
}
