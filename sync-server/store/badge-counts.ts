/**
 * The app badge's numbers (push/push-notifier.ts keeps them): unread messages
 * per person and conversation, as the conversation's document counts them
 * when a message is stored or a read marker moves. Only the relay that owns
 * the conversation writes its counts, and it writes the count the document
 * says (not "one more"), so a write is a plain upsert and repeating it is
 * harmless. `LevelBadgeCountStore` (level-badge-counts.ts) is the embedded
 * one, `PostgresBadgeCountStore` (postgres/postgres-badge-counts.ts) the
 * cluster's; both pass badge-counts.contract.ts.
 */
export interface BadgeCountStore {
  /** The person's unread count in the conversation; 0 forgets it. */
  set(userId: string, conversationId: string, count: number): Promise<void>;
  /** The badge: the sum over the person's conversations but those in `leaveOut` (the muted ones), read in one step. */
  total(userId: string, leaveOut?: readonly string[]): Promise<number>;
}
