/**
 * The session token's format, as the Lucia guide now recommends: the cookie
 * holds `<id>.<secret>`; the store finds the session by its id (not a
 * secret, so a lookup's timing tells nothing) and keeps only the SHA-256 of
 * the secret, which is compared in constant time.
 *
 * Tokens issued before this format are one random string whose SHA-256 is
 * the session's id (docs/SECURITY.md, "Sessions"); `parseSessionToken`
 * still reads them so those sessions keep working until re-issued.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { generateSecretToken, hashToken } from '../ids/random-ids.js';

/** Far longer than any token we issue (32 + 1 + 32 characters, or 64 + 1 + 32 for a re-issued old one); anything longer is not ours. */
const MAX_TOKEN_LENGTH = 200;

export type ParsedSessionToken =
  | { format: 'id-secret'; id: string; secret: string }
  /** The old format: the id is the SHA-256 of the whole token, so finding the session proves the token. */
  | { format: 'legacy'; id: string };

export interface NewSessionSecret {
  /** For the cookie; never stored. */
  token: string;
  /** For the store: hex SHA-256 of the secret. */
  secretHash: string;
}

/** A new id (or the given one, when an old session is re-issued) with a new secret. */
export function newSessionToken(id: string = generateSecretToken()): NewSessionSecret {
  const secret = generateSecretToken();
  return { token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

export function parseSessionToken(token: string): ParsedSessionToken | null {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  const dot = token.indexOf('.');
  if (dot < 0) return { format: 'legacy', id: hashToken(token) };
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!id || !secret || secret.includes('.')) return null;
  return { format: 'id-secret', id, secret };
}

/** True when `secret` is the one whose hash the session stores; constant time in the secret. */
export function secretMatches(secret: string, storedHash: string): boolean {
  return constantTimeEqual(sha256(new TextEncoder().encode(secret)), decodeHex(storedHash));
}

function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}
