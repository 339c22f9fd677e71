/**
 * A short name for what a person signed in with ("Chrome on Android"), from
 * the User-Agent header, for their list of sessions (account settings). Only
 * to help the person tell their devices apart: the header is whatever the
 * browser claims, so nothing is decided by it. Unknown agents get a trimmed
 * copy of the header rather than a guess.
 */

const BROWSERS: [RegExp, string][] = [
  [/Edg(A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** At most this many characters are kept of a header we cannot name. */
export const DEVICE_NAME_MAX_LENGTH = 80;

export function deviceName(userAgent: string | undefined): string | undefined {
  const agent = userAgent?.trim();
  if (!agent) return undefined;
  const browser = BROWSERS.find(([pattern]) => pattern.test(agent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(agent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return (browser ?? system ?? agent).slice(0, DEVICE_NAME_MAX_LENGTH);
}
