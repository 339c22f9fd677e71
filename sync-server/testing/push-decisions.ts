/**
 * Waiting for the push notifier's next decision about a message (sent,
 * coalesced, muted, no devices…): event-driven through `onDecision`, so
 * push tests never poll or sleep.
 */
import type { PushDecision } from '../push/push-notifier.js';
import type { RunningServer } from '../server.js';

/** Resolves with the next decision of `server`'s notifier that matches every field of `wanted`; fails after `timeoutMs`. */
export function nextPushDecision(server: RunningServer, wanted: Partial<PushDecision>, timeoutMs = 10_000): Promise<PushDecision> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no push decision like ${JSON.stringify(wanted)}`));
    }, timeoutMs);
    const stop = server.context.push.notifier.onDecision((decision) => {
      if (!Object.entries(wanted).every(([key, value]) => decision[key as keyof PushDecision] === value)) return;
      clearTimeout(timer);
      stop();
      resolve(decision);
    });
  });
}
