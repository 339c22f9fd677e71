/**
 * The server search's contract (docs/API.md, "Search"): `GET /api/search?q=`
 * over the conversations the person is a member of now, and what each hit
 * says. The terms are shared/search-tokens.ts's, as on the device.
 */

/** Longest query the server reads (characters); longer ones are cut. */
export const SEARCH_QUERY_MAX_LENGTH = 200;
/** Most hits one answer holds, newest first. */
export const SEARCH_RESULT_LIMIT = 50;

/** One message the server found. */
export interface SearchHit {
  conversationId: string;
  messageId: string;
  author: string;
  /** The message's text as stored now (an edit replaced it; a deleted message is never a hit). */
  text: string;
  createdAt: number;
  /** Its number in the conversation (shared/message-order.ts). */
  seq: number;
}

export interface SearchResponse {
  hits: SearchHit[];
}
