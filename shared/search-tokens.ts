/**
 * How text becomes search terms, one rule for the device's index
 * (client/data/search/) and the server's (sync-server/search/), so a query
 * finds the same messages in both.
 *
 * Chinese and Japanese are written without spaces, and a word segmenter's
 * dictionary may cut a sentence where the person would not (it may join
 * "个周" or split a name). So runs of Han, Hiragana and Katakana are indexed
 * as overlapping character pairs (bigrams) plus the run's last character:
 * "这个周末" holds 这个, 个周, 周末 and 末. A query of two or more characters
 * asks for its pairs ("周末" finds it whatever the segmenter thought); a
 * single character is a prefix ("周" matches the pair 周末, "末" the last
 * character), so every character is findable with about half the terms of
 * indexing each one too. Everything else goes through
 * `Intl.Segmenter` at word granularity (every engine we support has it),
 * folded to lower case without Latin, Greek or Cyrillic accents, so "cafe"
 * finds "Café". English and other spaced words match by prefix.
 */

/** One term of a query: a prefix (spaced words, "hel" finds "hello"; a single CJK character) or exact (CJK pairs). */
export interface QueryTerm {
  term: string;
  prefix: boolean;
}

/** Longer "words" (links, pasted keys) are not worth indexing; their first part still is. */
export const MAX_TERM_LENGTH = 32;
/** A query is cut here: nobody types more, and each term costs a lookup. */
export const MAX_QUERY_TERMS = 12;

/** Runs of characters written without spaces: Han (with its marks and iteration mark), Hiragana, Katakana. */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]+/gu;
const CJK_CHAR = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]/u;
/** Whether a text holds any character of `CJK_RUN` (not global: `test` keeps no position). */
const CJK_ANY = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]/u;
const ACCENTED = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{Mn}+/gu;
/** Key separator of the server's store (sync-server/store/keys.ts): a term never holds it. */
const SEPARATOR = /!/g;

/**
 * Text whose words are its runs of ASCII letters and digits: besides those,
 * only spaces and punctuation that never joins two words under Unicode's
 * word boundaries (UAX #29: `#`, `!`, `?`; `.`, `,`, `;`, `:` only before a
 * space or the end, as "e.g" or "1,000" would be one word).
 */
const PLAIN_WORDS = /^(?:[a-zA-Z0-9 #!?]|[.,;:](?= |$))*$/;
const PLAIN_WORD = /[a-zA-Z0-9]+/g;

let segmenter: Intl.Segmenter | undefined;

function words(text: string): string[] {
  // The segmenter's own answer for such text, without its cost: it was most of indexing a message on the server (issue 14).
  if (PLAIN_WORDS.test(text)) return text.match(PLAIN_WORD) ?? [];
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  const out: string[] = [];
  for (const part of segmenter.segment(text)) {
    if (part.isWordLike) out.push(part.segment);
  }
  return out;
}

/** Lower case, compatibility forms unified (full-width letters), accents of Latin, Greek and Cyrillic letters dropped. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(ACCENTED, '$1').normalize('NFC').toLowerCase();
}

function clean(term: string): string {
  return term.replace(SEPARATOR, '').slice(0, MAX_TERM_LENGTH);
}

/** The pieces of a text: CJK runs apart from the rest, each in its order. */
function pieces(text: string): Array<{ cjk: boolean; text: string }> {
  return piecesOfFolded(foldText(text));
}

/** `pieces` of a text already folded. */
function piecesOfFolded(folded: string): Array<{ cjk: boolean; text: string }> {
  const out: Array<{ cjk: boolean; text: string }> = [];
  let last = 0;
  for (const match of folded.matchAll(CJK_RUN)) {
    const at = match.index ?? 0;
    if (at > last) out.push({ cjk: false, text: folded.slice(last, at) });
    out.push({ cjk: true, text: match[0] });
    last = at + match[0].length;
  }
  if (last < folded.length) out.push({ cjk: false, text: folded.slice(last) });
  return out;
}

/** Every term a text is indexed under, each once: words, and for CJK runs their character pairs and last character. */
export function indexTerms(text: string): string[] {
  const terms = new Set<string>();
  const folded = foldText(text);
  // Most texts hold no CJK: one piece, read without the pieces' list and objects and the regex's iterator (issue 14).
  if (!CJK_ANY.test(folded)) {
    addWordTerms(terms, folded);
    return [...terms];
  }
  for (const piece of piecesOfFolded(folded)) {
    if (piece.cjk) {
      const chars = Array.from(piece.text);
      for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i] + chars[i + 1]);
      terms.add(chars[chars.length - 1]);
    } else addWordTerms(terms, piece.text);
  }
  return [...terms];
}

/** Adds the terms of a piece of folded text without CJK: its words, cleaned. */
function addWordTerms(terms: Set<string>, text: string): void {
  for (const word of words(text)) {
    const term = clean(word);
    if (term) terms.add(term);
  }
}

/**
 * The terms a query asks for, all of which a match must hold: spaced words as
 * prefixes, a CJK run as its character pairs (a single character as a prefix).
 */
export function queryTerms(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const add = (term: string, prefix: boolean) => {
    if (!term || seen.has(term) || terms.length >= MAX_QUERY_TERMS) return;
    seen.add(term);
    terms.push({ term, prefix });
  };
  for (const piece of pieces(query)) {
    if (piece.cjk) {
      const chars = Array.from(piece.text);
      if (chars.length === 1) add(chars[0], true);
      for (let i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1], false);
    } else {
      for (const word of words(piece.text)) add(clean(word), true);
    }
  }
  return terms;
}

/** Whether a folded term of a text satisfies one query term. */
export function termMatches(indexed: string, wanted: QueryTerm): boolean {
  return wanted.prefix ? indexed.startsWith(wanted.term) : indexed === wanted.term;
}

/** Whether a text holds every term of a query (for short texts: names, titles; messages go through an index). */
export function matchesQuery(text: string, query: string): boolean {
  const wanted = queryTerms(query);
  if (wanted.length === 0) return false;
  const have = indexTerms(text);
  return wanted.every((term) => have.some((indexed) => termMatches(indexed, term)));
}

/**
 * Where a query's terms occur in a text, as [start, end) ranges of the
 * original text, merged and in order: what the results highlight. Folding
 * keeps one character per character for the scripts it folds, except for
 * rare compatibility forms, whose ranges are then skipped.
 */
export function matchRanges(text: string, query: string): Array<[number, number]> {
  const wanted = queryTerms(query);
  if (wanted.length === 0) return [];
  const folded = foldText(text);
  if (folded.length !== text.length) return [];
  const ranges: Array<[number, number]> = [];
  for (const { term, prefix } of wanted) {
    let from = 0;
    for (let guard = 0; guard < 1000; guard++) {
      const at = folded.indexOf(term, from);
      if (at < 0) break;
      // A spaced word's prefix must start a word: "hel" marks "hello", not "shell" (CJK has no word starts).
      const startsWord = !prefix || CJK_CHAR.test(term) || at === 0 || !/[\p{L}\p{N}]/u.test(folded[at - 1] ?? '');
      if (startsWord) ranges.push([at, at + term.length]);
      from = at + Math.max(1, term.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}
