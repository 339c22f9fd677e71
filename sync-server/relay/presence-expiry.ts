/**
 * One timer for the presence of every loaded document (issue 14). A
 * y-protocols `Awareness` starts an interval of its own (every 3 s: renew
 * its local state, drop the states nobody renewed for 30 s), so a relay
 * holding thousands of documents would keep thousands of timers and wake
 * for each of them. Here every room's presence states (presence-states.ts)
 * are checked by that rule, in one pass of one timer.
 */
import { outdatedTimeout } from 'y-protocols/awareness';

/** As y-protocols checks: a tenth of the time after which a state is outdated. */
const CHECK_EVERY_MS = Math.floor(outdatedTimeout / 10);

/** A document's presence, as the shared timer sees it. */
export interface ExpiringPresence {
  /** Renews the server's own state and drops others' outdated ones, as of `now` (`Date.now()`). */
  expireOutdated(now: number): void;
}

const watched = new Set<ExpiringPresence>();
let timer: NodeJS.Timeout | null = null;

/** Puts `presence` on the shared timer until `stopExpiring`. */
export function expireWithSharedTimer(presence: ExpiringPresence): void {
  watched.add(presence);
  // Unref'd: presence expiry alone must not keep a stopping process alive.
  timer ??= setInterval(checkAll, CHECK_EVERY_MS).unref();
}

/** Takes `presence` off the shared timer (its document unloaded). */
export function stopExpiring(presence: ExpiringPresence): void {
  watched.delete(presence);
  if (watched.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
  }
}

/** How many documents' presence the shared timer checks (tests). */
export function watchedPresenceCount(): number {
  return watched.size;
}

function checkAll(): void {
  const now = Date.now();
  for (const presence of watched) presence.expireOutdated(now);
}
