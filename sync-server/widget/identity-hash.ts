/**
 * The identity hash a site's backend makes for `HappyChat.setUser`
 * (docs/EMBEDDING.md, "Identity verification"). Version 2 signs everything
 * the site's people are shown, so a visitor cannot re-send their own valid
 * hash with another name or email:
 *
 *   hex(HMAC-SHA256(site secret, UTF-8("v2\n" + id + "\n" + name + "\n" + email)))
 *
 * with an absent name or email as the empty string. The fields may not hold
 * a line break (the hash of such values is never accepted), which keeps the
 * encoding unambiguous. Version 1 signed the id alone; it still verifies
 * the id, but never a name or email.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedIdentity {
  id: string;
  name?: string;
  email?: string;
}

/** What a hash proves about a claim. */
export type IdentityCheck = 'all' | 'id-only' | 'nothing';

/** The version 2 hash of an identity, hex. */
export function identityHash(secret: string, identity: SignedIdentity): string {
  const message = ['v2', identity.id, identity.name ?? '', identity.email ?? ''].join('\n');
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** The version 1 hash: the id alone (sites made before issue 20). */
export function legacyIdentityHash(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id, 'utf8').digest('hex');
}

/** Checks `hash` against a claim: all of it signed (v2), the id only (v1), or nothing. */
export function checkIdentityHash(secret: string, claim: SignedIdentity, hash: string | undefined): IdentityCheck {
  if (hash === undefined) return 'nothing';
  const fields = [claim.id, claim.name ?? '', claim.email ?? ''];
  if (!fields.some((field) => /[\r\n]/.test(field)) && sameHex(hash, identityHash(secret, claim))) return 'all';
  if (sameHex(hash, legacyIdentityHash(secret, claim.id))) return 'id-only';
  return 'nothing';
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
