/**
 * Message ids are made on the client when a message is composed, so a
 * message written offline has its identity before it is sent and a resend
 * can never duplicate it. They sort by creation time (base-36 milliseconds,
 * fixed width) and end with random characters so two devices never collide.
 */

const TIME_WIDTH = 9; // base-36 milliseconds stay 9 characters until the year 5188
const RANDOM_LENGTH = 12;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

let lastTime = 0;

/**
 * A new message id. Ids from one device strictly increase, even for several
 * messages in one millisecond, so the author's order survives a batch.
 */
export function newMessageId(now: number = Date.now()): string {
  lastTime = Math.max(Math.floor(now), lastTime + 1);
  const time = lastTime.toString(36).padStart(TIME_WIDTH, '0');
  const bytes = new Uint8Array(RANDOM_LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % ALPHABET.length];
  return `${time}-${random}`;
}

const MESSAGE_ID_PATTERN = /^[0-9a-z]{9}-[0-9a-z]{12}$/;

export function isValidMessageId(id: string): boolean {
  return MESSAGE_ID_PATTERN.test(id);
}
