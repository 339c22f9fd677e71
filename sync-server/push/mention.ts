/**
 * Mentions: a group message that names a person with `@` notifies them
 * even in a muted conversation. Messages have no structured mention field,
 * so a mention is `@` followed by the person's display name, or by its
 * first word ("@Ada" for "Ada Lovelace"), case-insensitive, and not
 * followed by a letter or digit. The `@` starts the text, follows a space or
 * punctuation, or follows a CJK character: Chinese is written without spaces
 * ("你好@小明 看这里"), while a Latin letter or digit before it is an email
 * address ("ada@ada.org"), not a mention.
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
  return new RegExp(`(?<![\\p{Script=Latin}\\p{N}_.+-])@(${names})(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}
