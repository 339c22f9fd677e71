/**
 * The order of the conversation list: by last activity, newest first, as
 * messengers show it. A conversation's activity is its head's time (the
 * newest stored message, shared/heads.ts), or when it was made if it has no
 * message yet. Ties keep a stable order (by id), so the list does not jump.
 */
import type { Head } from '../../../shared/heads.js';
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
