import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/schema.js';
import { queryTerms } from '../../../shared/search-tokens.js';
import { textMessage } from '../../../shared/testing/text-message.js';
import { MESSAGE_INDEX_VERSION, MessageIndex } from './message-index.js';

const find = (index: MessageIndex, query: string) => index.find(queryTerms(query)).map((hit) => hit.text);

describe('MessageIndex', () => {
  it('finds Chinese without spaces and English by prefix', () => {
    const index = MessageIndex.empty();
    const a = textMessage('alice', '这个周末去爬山');
    const b = textMessage('bob', 'Hiking this weekend?');
    index.sync([
      [a.id, a],
      [b.id, b],
    ]);
    expect(find(index, '周末')).toEqual(['这个周末去爬山']);
    expect(find(index, 'hik week')).toEqual(['Hiking this weekend?']);
    expect(find(index, '周末 hiking')).toEqual([]);
  });

  it('returns the newest matches when more match than the limit, not the best scored', () => {
    const index = MessageIndex.empty();
    // The oldest messages say "kayak" three times and score higher than the newer ones that say it once.
    for (let i = 0; i < 30; i++) {
      const text = i < 10 ? 'kayak kayak kayak' : `kayak trip ${i} with a much longer text around the word`;
      index.update(`m${i}`, { id: `m${i}`, author: 'alice', kind: 'text', text, createdAt: 1_000 + i });
    }
    expect(index.find(queryTerms('kayak'), 5).map((hit) => hit.id)).toEqual(['m29', 'm28', 'm27', 'm26', 'm25']);
  });

  it('follows an edit and never finds a deleted message', () => {
    const index = MessageIndex.empty();
    const message = textMessage('alice', 'lunch on Tuesday');
    index.update(message.id, message);
    expect(find(index, 'tues')).toEqual(['lunch on Tuesday']);

    const edited: Message = { ...message, text: 'dinner on Friday', editedAt: message.createdAt + 1 };
    expect(index.update(message.id, edited)).toBe(true);
    expect(find(index, 'tues')).toEqual([]);
    expect(find(index, 'friday')).toEqual(['dinner on Friday']);

    const deleted: Message = { id: message.id, author: 'alice', kind: 'text', text: '', createdAt: message.createdAt, deleted: true };
    expect(index.update(message.id, deleted)).toBe(true);
    expect(find(index, 'friday')).toEqual([]);
    expect(find(index, 'dinner')).toEqual([]);
    expect(index.has(message.id)).toBe(false);
  });

  it('indexes file names beside the text, and no system message', () => {
    const index = MessageIndex.empty();
    const picture = textMessage('alice', '', { kind: 'image', attachments: [{ blobId: 'b', mime: 'image/png', name: 'trail-map.png' }] });
    const system = textMessage('system', 'Alice added Trail', { kind: 'system' });
    index.sync([
      [picture.id, picture],
      [system.id, system],
    ]);
    expect(index.find(queryTerms('trail')).map((hit) => hit.id)).toEqual([picture.id]);
  });

  it('survives serialization, touching only what changed after a reload', () => {
    const index = MessageIndex.empty();
    const kept = textMessage('alice', 'keep this note');
    const gone = textMessage('alice', 'this one disappears');
    index.sync([
      [kept.id, kept],
      [gone.id, gone],
    ]);
    const saved = JSON.parse(JSON.stringify(index.serialize()));
    const reloaded = MessageIndex.restore(saved);
    expect(find(reloaded, 'note')).toEqual(['keep this note']);
    // The same document again: nothing to index.
    expect(reloaded.sync([[kept.id, kept]].concat([[gone.id, gone]]) as Array<[string, Message]>)).toBe(false);
    // The document no longer has one: it leaves the index.
    expect(reloaded.sync([[kept.id, kept]])).toBe(true);
    expect(find(reloaded, 'disappears')).toEqual([]);
    expect(reloaded.size).toBe(1);
  });

  it('starts afresh from an index saved by other rules', () => {
    const index = MessageIndex.empty();
    const message = textMessage('alice', 'old rules');
    index.update(message.id, message);
    const saved = { ...index.serialize(), version: MESSAGE_INDEX_VERSION - 1 };
    expect(MessageIndex.restore(saved).size).toBe(0);
    expect(MessageIndex.restore({ version: MESSAGE_INDEX_VERSION, index: 'not json', indexed: {} }).size).toBe(0);
  });
});
