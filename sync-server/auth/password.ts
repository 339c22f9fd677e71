/** Password hashing with argon2id (OWASP's minimum parameters, @node-rs/argon2's defaults). */
import { hash, verify } from '@node-rs/argon2';

export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a wrong password, not a server crash.
    return false;
  }
}

/**
 * A hash of a password nobody has, verified when the email is unknown so
 * that "no such account" and "wrong password" take the same time.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('happy-chat-timing-equalizer');
  return dummyHash;
}
