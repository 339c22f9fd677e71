/**
 * Which conversations hold messages of mine that are not delivered yet, kept
 * in localStorage so that the next start opens (and so sends) them even if
 * the person never opens those conversations again.
 */
import type { KeyValueStorage } from '../key-value-storage.js';

const PREFIX = 'happy-chat:pending-conversations:';

export class PendingIndex {
  private readonly ids: Set<string>;

  constructor(
    private readonly userId: string,
    private readonly storage: KeyValueStorage = localStorage,
  ) {
    this.ids = new Set(this.read());
  }

  conversationIds(): string[] {
    return [...this.ids];
  }

  /** Records whether a conversation has pending messages; writes only on change. */
  set(conversationId: string, hasPending: boolean): void {
    const had = this.ids.has(conversationId);
    if (had === hasPending) return;
    if (hasPending) this.ids.add(conversationId);
    else this.ids.delete(conversationId);
    this.storage.setItem(this.key, JSON.stringify([...this.ids]));
  }

  clear(): void {
    this.ids.clear();
    this.storage.removeItem(this.key);
  }

  private get key(): string {
    return PREFIX + this.userId;
  }

  private read(): string[] {
    try {
      const value: unknown = JSON.parse(this.storage.getItem(this.key) ?? '[]');
      return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }
}
