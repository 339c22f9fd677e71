/**
 * Mentions: `@` and a group member's display name. Messages carry no
 * structured mention field, so the server (push, the list's @ badge) and the
 * composer's autocomplete read them with the same rules from the text:
 * `@` followed by the person's display name, or by its first word ("@Ada"
 * for "Ada Lovelace"), case-insensitive, and not followed by a letter or
 * digit. The `@` starts the text, follows a space or punctuation, or follows
 * a CJK character: Chinese is written without spaces ("你好@小明 看这里"),
 * while a Latin letter or digit before it is an email address
 * ("ada@ada.org"), not a mention. Pure: no node:*, no DOM.
 */

/** What may stand right before an `@` that is not a mention (the end of an email's local part). */
const NOT_BEFORE_MENTION = '[\\p{Script=Latin}\\p{N}_.+-]';
/** The longest name fragment the autocomplete follows after an `@`. */
export const MENTION_QUERY_MAX_LENGTH = 32;
/** Suggestions the autocomplete shows at most. */
export const MENTION_SUGGESTIONS_MAX = 8;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `text` mentions the person called `name`. */
export function mentionsName(text: string, name: string): boolean {
  const full = name.trim();
  if (!full || !text.includes('@')) return false;
  const first = full.split(/\s+/)[0] ?? full;
  const names = [...new Set([full, first])].map(escapeRegExp).join('|');
  return new RegExp(`(?<!${NOT_BEFORE_MENTION})@(${names})(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/** A mention being typed: the `@` at `start`, the name fragment after it up to the caret. */
export interface MentionQuery {
  start: number;
  query: string;
}

/**
 * The mention being typed at `caret` in `text`, if any: an `@` where a
 * mention may start (as above), then no space up to the caret.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  const query = before.slice(at + 1);
  if (query.length > MENTION_QUERY_MAX_LENGTH || /\s/.test(query)) return null;
  if (at > 0 && new RegExp(`^${NOT_BEFORE_MENTION}$`, 'u').test(before.slice(0, at).slice(-1))) return null;
  return { start: at, query };
}

/** Someone who can be mentioned: a member of the group. */
export interface MentionCandidate {
  id: string;
  name: string;
}

/**
 * The members whose name starts with `query`, ignoring case and accents,
 * then those with a word that starts with it, then those that hold it
 * anywhere (Chinese names have no spaces: "小明" finds 张小明); by name within each.
 */
export function suggestMentions(candidates: readonly MentionCandidate[], query: string): MentionCandidate[] {
  const wanted = fold(query);
  const ranked: Array<{ candidate: MentionCandidate; rank: number }> = [];
  for (const candidate of candidates) {
    const name = fold(candidate.name);
    if (!name) continue;
    const rank = matchRank(name, wanted);
    if (rank >= 0) ranked.push({ candidate, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.candidate.name.localeCompare(b.candidate.name));
  return ranked.slice(0, MENTION_SUGGESTIONS_MAX).map((entry) => entry.candidate);
}

/** What the autocomplete puts in the text for a chosen person: the name the server matches, and a space. */
export function mentionText(name: string): string {
  return `@${name.trim()} `;
}

/** 0: the name starts with it; 1: a later word does; 2: it is inside; -1: no match. */
function matchRank(name: string, wanted: string): number {
  if (name.startsWith(wanted)) return 0;
  if (name.split(/\s+/).some((word) => word.startsWith(wanted))) return 1;
  return name.includes(wanted) ? 2 : -1;
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}
