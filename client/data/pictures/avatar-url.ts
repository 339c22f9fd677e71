/**
 * Which picture addresses the app will put in an `<img src>`: our own blob
 * URLs (what the server writes for avatars and group pictures) and absolute
 * http(s) URLs. Anything else (javascript:, data:, protocol-relative, paths
 * elsewhere on our origin) shows the initial instead.
 */
const BLOB_PATH = /^\/api\/blobs\/[0-9a-f]{64}$/;

export function safeAvatarUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  if (BLOB_PATH.test(value)) return value;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The first letter (not UTF-16 unit) of a name, for a picture-less avatar. */
export function initialOf(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toLocaleUpperCase() : '?';
}

/** A stable hue for a person or group, so picture-less avatars are told apart by colour too. */
export function hueOf(key: string): number {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}
