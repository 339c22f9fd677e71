/**
 * Why Web Push is missing on this device, in words the person can act on.
 * Safari on iPhone and iPad has Web Push only for a web app added to the
 * Home Screen (iOS 16.4+): there, in the browser tab, the Push API is absent
 * and the fix is installing, not another browser. Elsewhere a missing Push
 * API is the browser's (e.g. WebKitGTK).
 */
import { msg } from '@lit/localize';

export interface DeviceFacts {
  userAgent: string;
  /** iPadOS reports itself as a Mac; touch points tell them apart. */
  maxTouchPoints: number;
  /** The app runs installed (display-mode: standalone). */
  standalone: boolean;
}

export function isAppleMobile(facts: DeviceFacts): boolean {
  return /\b(iPhone|iPad|iPod)\b/.test(facts.userAgent) || (/\bMacintosh\b/.test(facts.userAgent) && facts.maxTouchPoints > 1);
}

/** The note for a device without the Push API. */
export function pushUnsupportedNote(facts: DeviceFacts): string {
  if (isAppleMobile(facts) && !facts.standalone) {
    return msg(
      'On iPhone and iPad, notifications need the app on the Home Screen: tap Share, then "Add to Home Screen", and open Happy Chat from there.',
    );
  }
  return msg('This browser cannot show notifications when the app is closed.');
}

export function currentDeviceFacts(): DeviceFacts {
  return {
    userAgent: navigator.userAgent,
    maxTouchPoints: navigator.maxTouchPoints,
    standalone: matchMedia('(display-mode: standalone)').matches,
  };
}
