/**
 * The part of a found message a result shows, cut into plain and matched
 * pieces for the highlight. Pieces are text: the component renders matched
 * ones in `<mark>` through Lit, which escapes them, so a message can never
 * bring markup into the results.
 */
import { matchRanges } from '../../../shared/search-tokens.js';

export interface SnippetPiece {
  text: string;
  match: boolean;
}

/** Characters shown before the first match when the text is longer than the snippet. */
const LEAD = 30;

/** The text around the first match (at most `max` characters, "…" where cut), as pieces. */
export function snippetPieces(text: string, query: string, max = 140): SnippetPiece[] {
  const flat = text.replace(/\s+/g, ' ');
  const ranges = matchRanges(flat, query);
  const first = ranges[0]?.[0] ?? 0;
  const start = flat.length <= max ? 0 : Math.max(0, Math.min(first - LEAD, flat.length - max));
  const end = Math.min(flat.length, start + max);
  const pieces: SnippetPiece[] = [];
  const push = (from: number, to: number, match: boolean) => {
    if (to > from) pieces.push({ text: flat.slice(from, to), match });
  };
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    push(at, Math.max(at, from), false);
    push(Math.max(at, from), Math.min(to, end), true);
    at = Math.min(to, end);
  }
  push(at, end, false);
  if (start > 0) pieces.unshift({ text: '…', match: false });
  if (end < flat.length) pieces.push({ text: '…', match: false });
  return pieces;
}
