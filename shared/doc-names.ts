/**
 * Document names: every document a client can open is named here, and the
 * relay authorizes a connection by parsing the name it asks for.
 */

/** Conversation and user ids: url-safe, bounded, never containing the separators we use in keys. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type DocName = { kind: 'conv'; id: string } | { kind: 'user'; id: string };

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function convDocName(conversationId: string): string {
  return `conv/${conversationId}`;
}

export function userDocName(userId: string): string {
  return `user/${userId}`;
}

/** Parses a document name; returns null for anything we do not serve. */
export function parseDocName(name: string): DocName | null {
  const slash = name.indexOf('/');
  if (slash < 0) return null;
  const prefix = name.slice(0, slash);
  const id = name.slice(slash + 1);
  if (!isValidId(id)) return null;
  if (prefix === 'conv') return { kind: 'conv', id };
  if (prefix === 'user') return { kind: 'user', id };
  return null;
}
