/**
 * What a message is indexed as on the server: its text and its files'
 * names as terms (shared/search-tokens.ts), with what a hit shows. One rule
 * for new messages (index-write-queue.ts) and whole conversations caught up
 * (search-indexer.ts).
 */
import type { Message } from '../../shared/schema.js';
import { indexTerms } from '../../shared/search-tokens.js';
import type { IndexedMessage } from './message-index-store.js';

/** What a message is indexed as; null for system messages, deleted ones and those without a number (or any term). */
export function indexedForm(message: Message | undefined, seq: unknown): Omit<IndexedMessage, 'messageId'> | null {
  if (!message || message.deleted || message.kind === 'system' || typeof seq !== 'number') return null;
  const names = (message.attachments ?? []).map((a) => a.name ?? '').filter(Boolean);
  const terms = indexTerms([message.text, ...names].join(' '));
  if (terms.length === 0) return null;
  return { author: message.author, text: message.text, createdAt: message.createdAt, seq, terms };
}
