/**
 * One timer for the presence of every loaded document (issue 14). A
 * y-protocols `Awareness` starts an interval of its own (every 3 s: renew
 * its local state, drop the states nobody renewed for 30 s), so a relay
 * holding thousands of documents kept thousands of timers and woke for each
 * of them. Here every room's awareness is checked by the same rule, in one
 * pass of one timer, and its own interval is stopped.
 */
import * as time from 'lib0/time';
import * as awarenessProtocol from 'y-protocols/awareness';

/** As y-protocols checks: a tenth of the time after which a state is outdated. */
const CHECK_EVERY_MS = Math.floor(awarenessProtocol.outdatedTimeout / 10);

const watched = new Set<awarenessProtocol.Awareness>();
let timer: NodeJS.Timeout | null = null;

/** Moves `awareness` onto the shared timer; it leaves it when destroyed. */
export function expireWithSharedTimer(awareness: awarenessProtocol.Awareness): void {
  clearInterval(awareness._checkInterval);
  // The stopped interval's Timeout and closure would stay reachable from the awareness (~0.3 KiB a room).
  awareness._checkInterval = null;
  watched.add(awareness);
  // One function for every awareness (it is handed the awareness), not a closure per room.
  awareness.on('destroy', unwatch);
  // Unref'd: presence expiry alone must not keep a stopping process alive.
  timer ??= setInterval(checkAll, CHECK_EVERY_MS).unref();
}

/** How many documents' presence the shared timer checks (tests). */
export function watchedPresenceCount(): number {
  return watched.size;
}

function unwatch(awareness: awarenessProtocol.Awareness): void {
  watched.delete(awareness);
  if (watched.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
  }
}

function checkAll(): void {
  // The clock y-protocols stamps `lastUpdated` with.
  const now = time.getUnixTime();
  for (const awareness of watched) expire(awareness, now);
}

/** y-protocols' own check: renew the local state at half the timeout, drop others' states at the timeout. */
function expire(awareness: awarenessProtocol.Awareness, now: number): void {
  const local = awareness.getLocalState();
  const localMeta = awareness.meta.get(awareness.clientID);
  if (local !== null && localMeta && awarenessProtocol.outdatedTimeout / 2 <= now - localMeta.lastUpdated) awareness.setLocalState(local);
  const outdated: number[] = [];
  awareness.meta.forEach((meta, clientId) => {
    if (clientId !== awareness.clientID && awarenessProtocol.outdatedTimeout <= now - meta.lastUpdated && awareness.states.has(clientId)) {
      outdated.push(clientId);
    }
  });
  if (outdated.length > 0) awarenessProtocol.removeAwarenessStates(awareness, outdated, 'timeout');
}
