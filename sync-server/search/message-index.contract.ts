/**
 * The one test suite every search index passes (message-index.ts): LevelDB's
 * and PostgreSQL's. Call `messageIndexContract` from a test file with a way
 * to open a fresh, empty index and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import { queryTerms, type QueryTerm } from '../../shared/search-tokens.js';
import type { IndexedMessage, MessageIndex } from './message-index.js';

export interface MessageIndexUnderTest {
  /** A fresh, empty index (called inside each test). */
  open(): Promise<MessageIndex> | MessageIndex;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same index. */
  sameStorage(index: MessageIndex): Promise<MessageIndex> | MessageIndex;
}

function message(messageId: string, terms: string[], createdAt: number, text = terms.join(' ')): IndexedMessage {
  return { messageId, author: 'u1', text, createdAt, seq: createdAt, terms };
}

const exact = (term: string): QueryTerm => ({ term, prefix: false });
const prefix = (term: string): QueryTerm => ({ term, prefix: true });

export function messageIndexContract(name: string, subject: MessageIndexUnderTest): void {
  describe(`search index contract: ${name}`, () => {
    it('finds messages holding every term, prefixes too, newest first, only in the conversations asked', async () => {
      const index = await subject.open();
      await index.applyAll([
        { conversationId: 'a', put: [message('m1', ['hello', 'world'], 1), message('m2', ['hello', 'there'], 2)], remove: [] },
        { conversationId: 'b', put: [message('m3', ['hello', 'world'], 3)], remove: [] },
      ]);
      const found = await index.candidates(['a'], [exact('hello')], 10);
      expect(found).toEqual([
        { conversationId: 'a', messageId: 'm2', createdAt: 2 },
        { conversationId: 'a', messageId: 'm1', createdAt: 1 },
      ]);
      expect((await index.candidates(['a'], [prefix('wor'), exact('hello')], 10)).map((hit) => hit.messageId)).toEqual(['m1']);
      expect((await index.candidates(['a', 'b'], [prefix('wor')], 10)).map((hit) => hit.messageId)).toEqual(['m3', 'm1']);
      expect(await index.candidates(['a'], [exact('wor')], 10)).toEqual([]);
      expect(await index.candidates(['c'], [exact('hello')], 10)).toEqual([]);
      expect(await index.candidates([], [exact('hello')], 10)).toEqual([]);
      expect((await index.candidates(['a', 'b'], [exact('hello')], 2)).map((hit) => hit.messageId)).toEqual(['m3', 'm2']);
    });

    it('lists a message once under a term its terms repeat, beside other messages of the same write', async () => {
      const index = await subject.open();
      await index.applyAll([
        {
          conversationId: 'a',
          put: [message('m1', ['hi', 'hi', 'there'], 1), message('m2', ['hi'], 2), message('m3', ['there', 'hi', 'there', 'hi'], 3)],
          remove: [],
        },
      ]);
      expect((await index.candidates(['a'], [exact('hi')], 10)).map((hit) => hit.messageId)).toEqual(['m3', 'm2', 'm1']);
      expect((await index.candidates(['a'], [exact('there')], 10)).map((hit) => hit.messageId)).toEqual(['m3', 'm1']);
      await index.apply('a', [], ['m3']);
      expect((await index.candidates(['a'], [exact('there')], 10)).map((hit) => hit.messageId)).toEqual(['m1']);
    });

    it('finds Chinese by its character pairs, as the tokenizer writes them', async () => {
      const index = await subject.open();
      const text = '这个周末去爬山';
      const terms = queryTerms(text).map((term) => term.term);
      await index.apply('a', [message('m1', terms, 1, text)], []);
      expect((await index.candidates(['a'], queryTerms('周末'), 10)).map((hit) => hit.messageId)).toEqual(['m1']);
      expect(await index.candidates(['a'], queryTerms('周一'), 10)).toEqual([]);
    });

    it('replaces what an edited message was indexed as, and forgets a deleted one', async () => {
      const index = await subject.open();
      await index.apply('a', [message('m1', ['draft'], 1), message('m2', ['keep'], 2)], []);
      await index.apply('a', [message('m1', ['final'], 1)], ['m2']);
      expect(await index.candidates(['a'], [exact('draft')], 10)).toEqual([]);
      expect((await index.candidates(['a'], [exact('final')], 10)).map((hit) => hit.messageId)).toEqual(['m1']);
      expect(await index.candidates(['a'], [exact('keep')], 10)).toEqual([]);
      expect(await index.records('a', ['m2', 'm1', 'm9'])).toEqual([message('m1', ['final'], 1)]);
      // Removing what is not there is no error.
      await index.apply('a', [], ['nothing']);
    });

    it('keeps terms with quotes and backslashes as they are', async () => {
      const index = await subject.open();
      await index.apply('a', [message('m1', ["don't", 'a\\b', 'x:y'], 1)], []);
      for (const term of ["don't", 'a\\b', 'x:y']) {
        expect((await index.candidates(['a'], [exact(term)], 10)).map((hit) => hit.messageId)).toEqual(['m1']);
      }
      expect((await index.candidates(['a'], [prefix("don'")], 10)).map((hit) => hit.messageId)).toEqual(['m1']);
    });

    it('keeps every field of a record as written: quotes, separators, control characters, other scripts', async () => {
      const index = await subject.open();
      const odd = 'say "hi"; {a,b} \\ \\u0041 ;!x\n\ttab \u0001 😀 你好 null';
      const record: IndexedMessage = {
        messageId: 'm1',
        author: 'u"\\1',
        text: odd,
        createdAt: 2 ** 41 + 7,
        seq: 2 ** 30,
        terms: ['say', '"hi"', '{a,b}', 'x;y', '😀', '你好', 'null', 'NULL'],
      };
      // Ids are the app's own (no separators); every other field is the people's.
      await index.apply('c1', [record], []);
      expect(await index.records('c1', ['m1'])).toEqual([record]);
      expect((await index.candidates(['c1'], [exact('{a,b}'), exact('NULL')], 10)).map((hit) => hit.messageId)).toEqual(['m1']);
    });

    it("never answers with another conversation's message, even when the newest and most numerous hits are theirs", async () => {
      const index = await subject.open();
      // The stranger's conversation holds 300 newer messages with every term; the asker's holds two older ones.
      const theirs = Array.from({ length: 300 }, (_, i) => message(`s${i}`, ['secret', 'plan'], 1_000 + i));
      await index.applyAll([
        { conversationId: 'strangers', put: theirs, remove: [] },
        { conversationId: 'mine', put: [message('m1', ['secret', 'plan'], 1), message('m2', ['secret'], 2)], remove: [] },
      ]);
      for (const wanted of [[exact('secret')], [prefix('sec')], [prefix('pl'), exact('secret')], [prefix('s')]]) {
        const found = await index.candidates(['mine'], wanted, 50);
        expect(found.every((hit) => hit.conversationId === 'mine')).toBe(true);
        expect(found.length).toBeGreaterThan(0);
      }
      expect((await index.candidates(['mine'], [exact('secret'), prefix('pla')], 50)).map((hit) => hit.messageId)).toEqual(['m1']);
      expect(await index.candidates(['nobody'], [exact('secret')], 50)).toEqual([]);
    });

    it('goes on past pages of other conversations in order, the hits of each page newest first', async () => {
      const index = await subject.open();
      // 1,200 postings of "lamp": every 100th is the asker's (half of those also "oil"); the rest a stranger's, also "oil".
      const mine: IndexedMessage[] = [];
      const theirs: IndexedMessage[] = [];
      for (let t = 1; t <= 1_200; t++) {
        if (t % 100 === 0) mine.push(message(`m${t}`, t % 200 === 0 ? ['lamp', 'oil'] : ['lamp'], t));
        else theirs.push(message(`s${t}`, ['lamp', 'oil'], t));
      }
      await index.applyAll([
        { conversationId: 'strangers', put: theirs, remove: [] },
        { conversationId: 'mine', put: mine, remove: [] },
      ]);
      expect((await index.candidates(['mine'], [exact('lamp')], 5)).map((hit) => hit.messageId)).toEqual([
        'm1200',
        'm1100',
        'm1000',
        'm900',
        'm800',
      ]);
      expect((await index.candidates(['mine'], [exact('lamp'), prefix('oi')], 4)).map((hit) => hit.messageId)).toEqual([
        'm1200',
        'm1000',
        'm800',
        'm600',
      ]);
      expect((await index.candidates(['mine'], [exact('oil'), exact('lamp')], 50)).map((hit) => hit.messageId)).toHaveLength(6);
    });

    it('pages the newest hits of many conversations, a prefix of many terms too', async () => {
      const index = await subject.open();
      // 80 conversations, a message each with its own word beginning "w": more terms than a prefix is merged from.
      await index.applyAll(
        Array.from({ length: 80 }, (_, c) => ({ conversationId: `c${c}`, put: [message(`m${c}`, [`w${c}x`, 'common'], c)], remove: [] })),
      );
      const all = Array.from({ length: 80 }, (_, c) => `c${c}`);
      expect((await index.candidates(all, [prefix('w')], 3)).map((hit) => hit.messageId)).toEqual(['m79', 'm78', 'm77']);
      expect((await index.candidates(all, [exact('common')], 3)).map((hit) => hit.messageId)).toEqual(['m79', 'm78', 'm77']);
      expect((await index.candidates(all.slice(0, 10), [prefix('w'), exact('common')], 2)).map((hit) => hit.messageId)).toEqual([
        'm9',
        'm8',
      ]);
      expect((await index.candidates(all, [prefix('w1')], 100)).map((hit) => hit.messageId).sort()).toEqual(
        ['m1', ...Array.from({ length: 10 }, (_, i) => `m1${i}`)].sort(),
      );
    });

    it('forgets the old time of a message edited to another time', async () => {
      const index = await subject.open();
      await index.apply('a', [message('m1', ['moved'], 5), message('m2', ['moved'], 7)], []);
      await index.apply('a', [message('m1', ['moved'], 9)], []);
      expect(await index.candidates(['a'], [exact('moved')], 10)).toEqual([
        { conversationId: 'a', messageId: 'm1', createdAt: 9 },
        { conversationId: 'a', messageId: 'm2', createdAt: 7 },
      ]);
    });

    it('remembers which documents are indexed whole, on every handle', async () => {
      const index = await subject.open();
      const other = await subject.sameStorage(index);
      expect(await index.isCurrent('conv/a')).toBe(false);
      await index.markCurrent('conv/a');
      expect(await other.isCurrent('conv/a')).toBe(true);
      await other.markStale('conv/a');
      expect(await index.isCurrent('conv/a')).toBe(false);
      await index.apply('a', [message('m1', ['shared'], 1)], []);
      expect((await other.candidates(['a'], [exact('shared')], 10)).map((hit) => hit.messageId)).toEqual(['m1']);
    });

    it('records how far into each log it holds everything, with the write that made it true, on every handle', async () => {
      const index = await subject.open();
      const other = await subject.sameStorage(index);
      // Unknown: the document is indexed whole when it loads (a relay that died before its index write).
      expect(await index.indexedThrough('conv/a')).toBeNull();
      await index.markCurrent('conv/a', 3);
      expect(await other.indexedThrough('conv/a')).toBe(3);
      await index.applyAll(
        [{ conversationId: 'a', put: [message('m1', ['kayak'], 1)], remove: [] }],
        [{ docName: 'conv/a', nextClock: 5 }],
      );
      expect(await other.indexedThrough('conv/a')).toBe(5);
      // A write of nothing but clocks (its batches held no message) moves them too.
      await index.applyAll(
        [],
        [
          { docName: 'conv/a', nextClock: 6 },
          { docName: 'conv/b', nextClock: 2 },
        ],
      );
      expect([await other.indexedThrough('conv/a'), await other.indexedThrough('conv/b')]).toEqual([6, 2]);
      // A document marked current without a clock keeps the one it had.
      await other.markCurrent('conv/a');
      expect(await index.indexedThrough('conv/a')).toBe(6);
    });
  });
}
