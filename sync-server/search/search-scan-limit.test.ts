/**
 * A query stops after a bounded number of postings (`TERM_SCAN_LIMIT`, here
 * made small): when the newest postings of a word all belong to busy
 * conversations, a person in a few quiet ones (or searching inside one)
 * still finds their own messages, from their records, and never another
 * conversation's. Both engines (message-index-store.ts, postgres-message-index.ts).
 */
import { describe, expect, it } from 'vitest';
import { bothStores } from '../testing/both-stores.js';
import { MessageIndexStore } from './message-index-store.js';
import type { IndexedMessage, MessageIndex } from './message-index.js';
import { PostgresMessageIndex } from './postgres-message-index.js';

const limits = { termScanLimit: 40, recordScanLimit: 30 };

function message(messageId: string, terms: string[], createdAt: number): IndexedMessage {
  return { messageId, author: 'u1', text: terms.join(' '), createdAt, seq: createdAt, terms };
}

function scanLimitContract(name: string, subject: { open(): MessageIndex }): void {
  describe(`search past the postings' bound: ${name}`, () => {
    it("finds a quiet conversation's old messages under a word whose newest postings are all a busy one's", async () => {
      const index = subject.open();
      // 100 newer "tea" messages in the busy conversation (more than the 40 postings read), 3 older ones in the quiet one.
      const busy = Array.from({ length: 100 }, (_, i) => message(`b${i}`, ['tea', 'green'], 1_000 + i));
      const quiet = [message('q1', ['tea', 'green'], 1), message('q2', ['tea'], 2), message('q3', ['coffee'], 3)];
      await index.applyAll([
        { conversationId: 'busy', put: busy, remove: [] },
        { conversationId: 'quiet', put: quiet, remove: [] },
      ]);
      expect((await index.candidates(['quiet'], [{ term: 'tea', prefix: false }], 10)).map((hit) => hit.messageId)).toEqual(['q2', 'q1']);
      expect(
        (
          await index.candidates(
            ['quiet'],
            [
              { term: 'tea', prefix: false },
              { term: 'gr', prefix: true },
            ],
            10,
          )
        ).map((hit) => hit.messageId),
      ).toEqual(['q1']);
      expect((await index.candidates(['quiet'], [{ term: 'te', prefix: true }], 1)).map((hit) => hit.messageId)).toEqual(['q2']);
      // Someone in neither, or in a conversation with no such message, gets nothing of either.
      expect(await index.candidates(['elsewhere'], [{ term: 'tea', prefix: false }], 10)).toEqual([]);
      // A deleted message is not found from the records either.
      await index.apply('quiet', [], ['q2']);
      expect((await index.candidates(['quiet'], [{ term: 'tea', prefix: false }], 10)).map((hit) => hit.messageId)).toEqual(['q1']);
    });

    it('keeps what the postings gave when the conversations hold more records than the bound', async () => {
      const index = subject.open();
      const busy = Array.from({ length: 100 }, (_, i) => message(`b${i}`, ['tea'], 1_000 + i));
      // 31 records in the quiet conversation: over the bound of 30, so they are not read; the postings found none of them.
      const quiet = Array.from({ length: 31 }, (_, i) => message(`q${i}`, i === 0 ? ['tea'] : ['other'], i + 1));
      await index.applyAll([
        { conversationId: 'busy', put: busy, remove: [] },
        { conversationId: 'quiet', put: quiet, remove: [] },
      ]);
      expect(await index.candidates(['quiet'], [{ term: 'tea', prefix: false }], 10)).toEqual([]);
      expect((await index.candidates(['busy', 'quiet'], [{ term: 'tea', prefix: false }], 3)).map((hit) => hit.messageId)).toEqual([
        'b99',
        'b98',
        'b97',
      ]);
    });
  });
}

bothStores(scanLimitContract, {
  level: ({ db }) => new MessageIndexStore(db, limits),
  postgres: (pool) => new PostgresMessageIndex(pool, limits),
});
