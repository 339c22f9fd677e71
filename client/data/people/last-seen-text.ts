/**
 * A friend's presence in words (issue 15), as chat apps say it: "online",
 * "last seen just now", "… 5 minutes ago" within the hour, "… today at 14:05",
 * "… yesterday at 14:05", then the date. In the language msg() speaks.
 */
import { msg, str } from '@lit/localize';
import type { PresenceOf } from '../../../shared/presence.js';
import { dateFormat, relativeTime } from '../../i18n/formats.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function lastSeenText(presence: PresenceOf, now: Date = new Date()): string {
  if (presence.online) return msg('online');
  const then = new Date(presence.lastSeenAt);
  const ago = now.getTime() - then.getTime();
  if (ago < MINUTE) return msg('last seen just now');
  if (ago < HOUR) return msg(str`last seen ${relativeTime(then, now)}`);
  const time = dateFormat({ hour: '2-digit', minute: '2-digit' }).format(then);
  if (sameDay(then, now)) return msg(str`last seen today at ${time}`);
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (sameDay(then, yesterday)) return msg(str`last seen yesterday at ${time}`);
  const sameYear = then.getFullYear() === now.getFullYear();
  const date = dateFormat(sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }).format(then);
  return msg(str`last seen ${date}`);
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
