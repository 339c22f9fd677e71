/** Whether a message is nothing but a few emoji, which the list shows large. Pure. */

/** One emoji: a pictograph with its modifiers and joined parts, a flag, or a keycap. */
const EMOJI =
  '(?:\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})*(?:\\u200D\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})*)*' +
  '|\\p{Regional_Indicator}{2}|[0-9#*]\\uFE0F?\\u20E3)';
const EMOJI_ONLY = new RegExp(`^(?:\\s*${EMOJI})+\\s*$`, 'u');
const ONE_EMOJI = new RegExp(EMOJI, 'gu');

/** More than this many emoji read as a sentence, not as one big reaction. */
export const LARGE_EMOJI_MAX = 6;

export function isEmojiOnly(text: string): boolean {
  if (!EMOJI_ONLY.test(text)) return false;
  return (text.match(ONE_EMOJI)?.length ?? 0) <= LARGE_EMOJI_MAX;
}
