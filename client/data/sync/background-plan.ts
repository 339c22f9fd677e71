/**
 * Which conversations the app syncs in the background (issue 12), as a pure
 * function of the list's heads and what this device's copies hold: those
 * whose head is ahead of the local copy, newest activity first, within the
 * bounds below. The runner (background-sync.ts) syncs them a few at a time;
 * the person's own openings always come first.
 */
import type { Head } from '../../../shared/heads.js';

/** How far background sync goes; docs/PROTOCOL.md, "Background sync", names the defaults. */
export interface BackgroundBounds {
  /** Only the conversations among this many most recently active are synced in the background. */
  maxConversations: number;
  /** Nor any whose newest message is older than this. */
  maxAgeMs: number;
  /** Stop once the copies background sync brought up to date hold this many bytes in all (this device, this person). */
  maxBytes: number;
  /** Documents synced at once. */
  concurrency: number;
}

export const DEFAULT_BACKGROUND_BOUNDS: BackgroundBounds = {
  maxConversations: 50,
  maxAgeMs: 14 * 24 * 3600_000,
  maxBytes: 32 * 1024 * 1024,
  concurrency: 3,
};

/** A listed conversation as the plan sees it. */
export interface PlannedConversation {
  id: string;
  /** I am no longer in it: its document is refused, there is nothing to sync. */
  ended?: unknown;
}

export interface PlanInput {
  conversations: readonly PlannedConversation[];
  head(id: string): Head | undefined;
  /** The newest `seq` this device's copy of the conversation is known to hold (0: none, or unknown). */
  localSeq(id: string): number;
  /** Bytes the background-synced copies hold now. */
  bytesHeld: number;
  now: number;
  bounds: BackgroundBounds;
}

/** The conversations to sync in the background, in the order to sync them (newest activity first). */
export function backgroundPlan(input: PlanInput): string[] {
  const { bounds } = input;
  if (input.bytesHeld >= bounds.maxBytes) return [];
  const withHeads: Array<{ id: string; head: Head }> = [];
  for (const conversation of input.conversations) {
    if (conversation.ended) continue;
    const head = input.head(conversation.id);
    if (head) withHeads.push({ id: conversation.id, head });
  }
  withHeads.sort((a, b) => b.head.at - a.head.at || (a.id < b.id ? -1 : 1));
  return withHeads
    .slice(0, bounds.maxConversations)
    .filter(({ id, head }) => input.now - head.at <= bounds.maxAgeMs && head.seq > input.localSeq(id))
    .map(({ id }) => id);
}
