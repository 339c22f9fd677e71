/**
 * Keeps each conversation's recovery (refusal-recovery.ts) in localStorage,
 * per person, so that a reload while the local copy is being dropped and
 * resynced loses none of the messages set aside from it.
 */
import { isValidId } from '../../../shared/doc-names.js';
import type { Message } from '../../../shared/schema.js';
import type { Recovery, RecoveryPhase, SetAsideMessage } from './refusal-recovery.js';
import type { KeyValueStorage } from '../key-value-storage.js';

const PREFIX = 'happy-chat:set-aside:';
const PHASES: ReadonlySet<string> = new Set<RecoveryPhase>(['refused', 'dropping', 'resyncing', 'clean']);

export class SetAsideStore {
  private readonly recoveries: Map<string, Recovery>;

  constructor(
    private readonly userId: string,
    private readonly storage: KeyValueStorage = localStorage,
  ) {
    this.recoveries = this.read();
  }

  get(conversationId: string): Recovery | undefined {
    return this.recoveries.get(conversationId);
  }

  /** Stores a conversation's recovery, or forgets it when undefined. */
  set(conversationId: string, recovery: Recovery | undefined): void {
    if (recovery) this.recoveries.set(conversationId, recovery);
    else if (!this.recoveries.delete(conversationId)) return;
    if (this.recoveries.size === 0) {
      this.storage.removeItem(this.key);
      return;
    }
    try {
      this.storage.setItem(this.key, JSON.stringify(Object.fromEntries(this.recoveries)));
    } catch (error) {
      // Storage full: the set-aside messages still live in memory for this run.
      console.warn('Could not store set-aside messages', error);
    }
  }

  conversationIds(): string[] {
    return [...this.recoveries.keys()];
  }

  clear(): void {
    this.recoveries.clear();
    this.storage.removeItem(this.key);
  }

  private get key(): string {
    return PREFIX + this.userId;
  }

  private read(): Map<string, Recovery> {
    const result = new Map<string, Recovery>();
    let value: unknown;
    try {
      value = JSON.parse(this.storage.getItem(this.key) ?? '{}');
    } catch {
      return result;
    }
    if (!value || typeof value !== 'object') return result;
    for (const [id, recovery] of Object.entries(value)) {
      if (isValidId(id) && isRecovery(recovery)) result.set(id, recovery);
    }
    return result;
  }
}

function isRecovery(value: unknown): value is Recovery {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.phase === 'string' &&
    PHASES.has(record.phase) &&
    typeof record.reason === 'string' &&
    Array.isArray(record.messages) &&
    record.messages.every(isSetAsideMessage)
  );
}

function isSetAsideMessage(value: unknown): value is SetAsideMessage {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.retry === 'boolean' && (record.problem === null || typeof record.problem === 'string') && isMessageShape(record.message)
  );
}

function isMessageShape(value: unknown): value is Message {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.id === 'string' &&
    typeof record.author === 'string' &&
    typeof record.kind === 'string' &&
    typeof record.text === 'string' &&
    typeof record.createdAt === 'number'
  );
}
