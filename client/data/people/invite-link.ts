/** Invite links to groups (`/join/<code>`, see route.ts): their choices of lifetime and uses, and how they are described. */

/** Lifetimes offered when making a link, in hours (the server allows 1–720). */
export const INVITE_LIFETIMES: ReadonlyArray<{ hours: number; label: string }> = [
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '7 days' },
  { hours: 24 * 30, label: '30 days' },
];

/** Use limits offered (0 = no limit). */
export const INVITE_USE_LIMITS: readonly number[] = [0, 1, 5, 10, 50, 100];

/** "7 uses left · expires in 3 days", for the list of live links. */
export function describeInvite(invite: { expiresAt: number; maxUses: number; uses: number }, now: number): string {
  const uses =
    invite.maxUses === 0
      ? `used ${invite.uses} time${invite.uses === 1 ? '' : 's'}`
      : `${Math.max(0, invite.maxUses - invite.uses)} of ${invite.maxUses} uses left`;
  return `${uses} · ${describeExpiry(invite.expiresAt, now)}`;
}

export function describeExpiry(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  if (left <= 0) return 'expired';
  const hours = left / 3_600_000;
  if (hours < 1) return `expires in ${Math.max(1, Math.round(left / 60_000))} min`;
  if (hours < 48) return `expires in ${Math.round(hours)} h`;
  return `expires in ${Math.round(hours / 24)} days`;
}
