/**
 * A person's notification settings (docs/PUSH.md), apart from the zod
 * schemas in push-api.ts so the page reads them without bundling zod.
 */

/** Choices for the mail digest: minutes a message stays unread before it is mailed. */
export const DIGEST_AFTER_CHOICES = [60, 8 * 60, 24 * 60] as const;

/** A person's notification settings (all their devices). */
export interface PushSettings {
  /** False: notifications say "New message" without the sender or the text. */
  showContent: boolean;
  /** Conversations the person muted. */
  muted: string[];
  /** Mail a digest of what stayed unread this many minutes; null: no mail. */
  digestAfterMinutes: number | null;
}
