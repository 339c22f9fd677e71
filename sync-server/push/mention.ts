/**
 * Mentions: a group message that names a person with `@` notifies them
 * even in a muted conversation. Messages have no structured mention field,
 * so a mention is `@` followed by the person's display name, or by its
 * first word ("@Ada" for "Ada Lovelace"), case-insensitive, at the start of
 * the text or after a space, and not followed by a letter or digit.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `text` mentions the person called `name`. */
export function mentionsName(text: string, name: string): boolean {
  const full = name.trim();
  if (!full || !text.includes('@')) return false;
  const first = full.split(/\s+/)[0] ?? full;
  const names = [...new Set([full, first])].map(escapeRegExp).join('|');
  return new RegExp(`(^|\\s)@(${names})(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}
