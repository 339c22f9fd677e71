/**
 * What a file's uploader declares about it, made safe to store and to send
 * back: the name (no path, no control characters, bounded), the type (a bare
 * `type/subtype`), and the type a download is served with. Unlike a picture,
 * a file's bytes are never read for their type: any type may be sent, so no
 * declared type is ever trusted to decide how a browser treats the bytes.
 */
import { ATTACHMENT_NAME_MAX_LENGTH } from '../../shared/limits.js';

const FALLBACK_NAME = 'file';
const FALLBACK_TYPE = 'application/octet-stream';
const BARE_TYPE = /^[a-z0-9][a-z0-9.+-]{0,62}\/[a-z0-9][a-z0-9.+-]{0,62}$/;

/**
 * Types a download keeps: none of them is run by a browser (no HTML, SVG,
 * XML, script or stylesheet), and audio must keep its type for `<audio>` to
 * play a voice message. Anything else is sent as `application/octet-stream`.
 */
const KEPT_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
  'text/csv',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

/** The file's name as the uploader gave it, reduced to its last path part, printable, at most ATTACHMENT_NAME_MAX_LENGTH characters. */
export function declaredFileName(raw: string | undefined): string {
  const lastPart = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed.
  const printable = lastPart.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const bounded = [...printable].slice(0, ATTACHMENT_NAME_MAX_LENGTH).join('');
  return bounded === '' || bounded === '.' || bounded === '..' ? FALLBACK_NAME : bounded;
}

/** The declared `Content-Type` without parameters (`audio/webm;codecs=opus` → `audio/webm`), or `application/octet-stream`. */
export function declaredFileType(raw: string | undefined): string {
  const bare = (raw ?? '').split(';')[0].trim().toLowerCase();
  return BARE_TYPE.test(bare) ? bare : FALLBACK_TYPE;
}

/** The type a download is sent with: the stored type when no browser would run it, otherwise `application/octet-stream`. */
export function servedFileType(mime: string): string {
  return mime.startsWith('audio/') || mime.startsWith('video/') || KEPT_TYPES.has(mime) ? mime : FALLBACK_TYPE;
}

/**
 * `Content-Disposition: attachment` with the name twice (RFC 6266): an ASCII
 * fallback with anything outside printable ASCII, quotes and backslashes
 * replaced, and the exact name percent-encoded in UTF-8 (`filename*`).
 */
export function attachmentDisposition(name: string): string {
  const safe = declaredFileName(name);
  const ascii = safe.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
