/**
 * The device's search index of one conversation's messages: a MiniSearch
 * index (docs/CLIENT.md, "Search", says why MiniSearch) fed with the terms
 * of shared/search-tokens.ts, so it finds what the server's index finds.
 * It remembers what it indexed of each message (a signature of the text,
 * time and author), so bringing it in step with a document touches only the
 * messages that changed, and it serializes with a version, so a reload
 * neither re-indexes everything nor trusts an index built by other rules.
 * A deleted message (or one gone from the document) is taken out at once.
 */
import MiniSearch from 'minisearch';
import type { Message } from '../../../shared/schema.js';
import { indexTerms, type QueryTerm } from '../../../shared/search-tokens.js';

/** Bumped when the stored form or the terms change: older serialized indexes are dropped and rebuilt. */
export const MESSAGE_INDEX_VERSION = 1;

/** A message as the index keeps and returns it. */
export interface IndexedMessage {
  id: string;
  author: string;
  text: string;
  createdAt: number;
}

/** The serialized form (what IndexedDB keeps). */
export interface SerializedMessageIndex {
  version: number;
  index: string;
  /** Message id → signature of what was indexed. */
  indexed: Record<string, string>;
}

interface Entry extends IndexedMessage {
  /** What is searched: the text and file names, as terms. */
  body: string;
}

const OPTIONS = {
  fields: ['body'],
  storeFields: ['author', 'text', 'createdAt'],
  // The body is already a list of folded terms, joined by spaces (terms never hold one).
  tokenize: (body: string) => (body ? body.split(' ') : []),
  processTerm: (term: string) => term,
  searchOptions: { tokenize: (query: string) => [query], processTerm: (term: string) => term },
};

/** What the index holds of a message, or null for one that must not be found (deleted, system, nothing to search). */
export function searchableForm(message: Message | undefined): (IndexedMessage & { terms: string[] }) | null {
  if (!message || message.deleted || message.kind === 'system') return null;
  const names = (message.attachments ?? []).map((a) => a.name ?? '').filter(Boolean);
  const terms = indexTerms([message.text, ...names].join(' '));
  if (terms.length === 0) return null;
  return { id: message.id, author: message.author, text: message.text, createdAt: message.createdAt, terms };
}

/** A short fingerprint of what was indexed (FNV-1a, 32 bits): equal means "no need to index it again". */
function signatureOf(form: IndexedMessage & { terms: string[] }): string {
  const text = `${form.author}\u0000${form.createdAt}\u0000${form.terms.join(' ')}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

export class MessageIndex {
  private constructor(
    private readonly search: MiniSearch<Entry>,
    private readonly indexed: Map<string, string>,
  ) {}

  static empty(): MessageIndex {
    return new MessageIndex(new MiniSearch<Entry>(OPTIONS), new Map());
  }

  /** The index as it was saved; an empty one when it was saved by other rules (another version) or cannot be read. */
  static restore(saved: SerializedMessageIndex | undefined): MessageIndex {
    if (!saved || saved.version !== MESSAGE_INDEX_VERSION) return MessageIndex.empty();
    try {
      return new MessageIndex(MiniSearch.loadJSON<Entry>(saved.index, OPTIONS), new Map(Object.entries(saved.indexed)));
    } catch (error) {
      console.warn('A saved search index could not be read; it is built again', error);
      return MessageIndex.empty();
    }
  }

  get size(): number {
    return this.indexed.size;
  }

  /** The ids of every message indexed. */
  ids(): string[] {
    return [...this.indexed.keys()];
  }

  /** Brings one message in step with what it is now; returns whether the index changed. */
  update(id: string, message: Message | undefined): boolean {
    const form = searchableForm(message);
    const had = this.indexed.get(id);
    if (!form) {
      if (had === undefined) return false;
      this.search.discard(id);
      this.indexed.delete(id);
      return true;
    }
    const signature = signatureOf(form);
    if (had === signature) return false;
    const entry: Entry = { id, author: form.author, text: form.text, createdAt: form.createdAt, body: form.terms.join(' ') };
    if (had === undefined) this.search.add(entry);
    else this.search.replace(entry);
    this.indexed.set(id, signature);
    return true;
  }

  /**
   * Brings the whole index in step with a conversation's messages: what
   * changed is indexed again, what is gone (or deleted) taken out. Returns
   * whether anything changed.
   */
  sync(messages: ReadonlyMap<string, Message> | Iterable<[string, Message]>): boolean {
    let changed = false;
    const present = new Set<string>();
    for (const [id, message] of messages) {
      present.add(id);
      if (this.update(id, message)) changed = true;
    }
    for (const id of [...this.indexed.keys()]) {
      if (!present.has(id) && this.update(id, undefined)) changed = true;
    }
    return changed;
  }

  /**
   * Messages holding every term, newest first, at most `limit`. The search
   * lists newest first, so the cut keeps the newest (MiniSearch ranks by
   * score: cut in its order, a conversation with more matches than the limit
   * lost its newest ones).
   */
  find(terms: readonly QueryTerm[], limit = 200): IndexedMessage[] {
    if (terms.length === 0 || this.indexed.size === 0) return [];
    const results = this.search.search({
      combineWith: 'AND',
      queries: terms.map(({ term, prefix }) => ({ queries: [term], prefix })),
    });
    results.sort((a, b) => Number(b.createdAt) - Number(a.createdAt));
    return results.slice(0, limit).map((hit) => ({
      id: String(hit.id),
      author: String(hit.author),
      text: String(hit.text),
      createdAt: Number(hit.createdAt),
    }));
  }

  has(id: string): boolean {
    return this.indexed.has(id);
  }

  serialize(): SerializedMessageIndex {
    return {
      version: MESSAGE_INDEX_VERSION,
      index: JSON.stringify(this.search),
      indexed: Object.fromEntries(this.indexed),
    };
  }
}
