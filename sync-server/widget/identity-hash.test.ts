/**
 * The identity hash's exact bytes, as docs/EMBEDDING.md tells site owners to
 * make them. The expected values were computed apart from our code (Python's
 * hmac module), so a change of encoding fails here before it breaks sites.
 */
import { describe, expect, it } from 'vitest';
import { checkIdentityHash, identityHash, legacyIdentityHash } from './identity-hash.js';

const SECRET = 'site-secret';
const ZOE = { id: 'customer-42', name: 'Zoë', email: 'zoe@example.com' };

describe('identity hash v2', () => {
  it('is HMAC-SHA256 over "v2\\n" + id + "\\n" + name + "\\n" + email in UTF-8, absent fields empty', () => {
    expect(identityHash(SECRET, ZOE)).toBe('40854cbbed7cf1cb1497f3daeb877422a6cdf6f47a4668e26458ddd51fffb4e1');
    expect(identityHash(SECRET, { id: 'customer-42' })).toBe('3d95140555ea305e031b98108ca542742b56fc568f88aaec15214f10d270d577');
    expect(legacyIdentityHash(SECRET, 'customer-42')).toBe('b0c454d36fc6c7d261687ee28d4b205bc0d0f5f8352a89e1cde5c3ea91693873');
  });

  it('verifies all of a signed claim, and nothing once a field changes', () => {
    const hash = identityHash(SECRET, ZOE);
    expect(checkIdentityHash(SECRET, ZOE, hash)).toBe('all');
    expect(checkIdentityHash(SECRET, ZOE, hash.toUpperCase())).toBe('all');
    expect(checkIdentityHash(SECRET, { ...ZOE, name: 'Shop Support (staff)' }, hash)).toBe('nothing');
    expect(checkIdentityHash(SECRET, { ...ZOE, email: 'boss@shop.example' }, hash)).toBe('nothing');
    expect(checkIdentityHash(SECRET, { id: ZOE.id }, hash)).toBe('nothing');
    expect(checkIdentityHash('another-secret', ZOE, hash)).toBe('nothing');
    expect(checkIdentityHash(SECRET, ZOE, undefined)).toBe('nothing');
  });

  it('cannot be re-split across fields: values with line breaks are never verified', () => {
    // Both encode as "v2\na\nb\nc\nd": a site signing one must not have signed the other.
    const signed = { id: 'a', name: 'b\nc', email: 'd' };
    const moved = { id: 'a\nb', name: 'c', email: 'd' };
    expect(checkIdentityHash(SECRET, moved, identityHash(SECRET, signed))).toBe('nothing');
    expect(checkIdentityHash(SECRET, signed, identityHash(SECRET, signed))).toBe('nothing');
  });

  it('lets an old id-only hash verify the id alone', () => {
    expect(checkIdentityHash(SECRET, { ...ZOE, name: 'Anyone' }, legacyIdentityHash(SECRET, ZOE.id))).toBe('id-only');
  });
});
