/**
 * Document names: every document a client can open is named here, and the
 * relay authorizes a connection by parsing the name it asks for.
 *
 * A conversation is one or more history segments (docs/SEGMENTS.md):
 * segment 0 is `conv/<id>` itself (which also holds `meta` and the segment
 * list), segment n ≥ 1 is `conv/<id>~<n>`. A member's rights are the
 * conversation's, whatever the segment.
 */

/** Conversation and user ids: url-safe, bounded, never containing the separators we use in keys. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A segment number after `~`: 1..999999, no leading zero (segment 0 has one name only, `conv/<id>`). */
const SEGMENT_PATTERN = /^[1-9][0-9]{0,5}$/;

/** The separator between a conversation id and its segment number; never part of an id. */
export const SEGMENT_SEPARATOR = '~';

export type DocName =
  /** `segment` absent means 0: `conv/<id>` itself. */
  { kind: 'conv'; id: string; segment?: number } | { kind: 'user'; id: string };

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** `conv/<id>`: the conversation's `meta`, its segment list and segment 0. */
export function convDocName(conversationId: string): string {
  return `conv/${conversationId}`;
}

/** The document of segment `segment` of a conversation: `conv/<id>` for 0, `conv/<id>~<n>` after. */
export function segmentDocName(conversationId: string, segment: number): string {
  return segment === 0 ? convDocName(conversationId) : `conv/${conversationId}${SEGMENT_SEPARATOR}${segment}`;
}

/** The segment number of a parsed name (0 for `conv/<id>` and for user documents). */
export function segmentOf(doc: DocName): number {
  return doc.kind === 'conv' ? (doc.segment ?? 0) : 0;
}

export function userDocName(userId: string): string {
  return `user/${userId}`;
}

/** Parses a document name; returns null for anything we do not serve. */
export function parseDocName(name: string): DocName | null {
  const slash = name.indexOf('/');
  if (slash < 0) return null;
  const prefix = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  if (prefix === 'user') return isValidId(rest) ? { kind: 'user', id: rest } : null;
  if (prefix !== 'conv') return null;
  const tilde = rest.indexOf(SEGMENT_SEPARATOR);
  const id = tilde < 0 ? rest : rest.slice(0, tilde);
  if (!isValidId(id)) return null;
  if (tilde < 0) return { kind: 'conv', id, segment: 0 };
  const segment = rest.slice(tilde + 1);
  return SEGMENT_PATTERN.test(segment) ? { kind: 'conv', id, segment: Number(segment) } : null;
}
