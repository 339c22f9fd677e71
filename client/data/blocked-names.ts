/**
 * Names of people blocked in this tab. `GET /api/blocks` answers ids only,
 * and a blocked stranger's profile is not ours to fetch, so the names the
 * app knew when blocking are kept (in memory only: who I block is not left
 * on the device) for the "Blocked" list's Unblock buttons.
 */
const names = new Map<string, string>();

export function rememberBlockedName(userId: string, name: string): void {
  names.set(userId, name);
}

export function blockedNameOf(userId: string): string | undefined {
  return names.get(userId);
}
