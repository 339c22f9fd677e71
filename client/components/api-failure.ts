/** What a component says when a social API call fails, and the one failure the app as a whole must hear about. */
import { msg, str } from '@lit/localize';
import type { ClientError } from '../data/api/api-client.js';

interface Failed {
  status: number;
  error: ClientError;
}

/**
 * The message to show for a failed call ("You are offline. Sending a friend
 * request needs the network."), `action` already in the person's language; a 401 also tells the app that the session
 * ended (`session-expired`), so it asks the person to sign in again.
 */
export function failureMessage(host: EventTarget, failed: Failed, action: string): string {
  if (failed.status === 401) {
    host.dispatchEvent(new CustomEvent('session-expired', { bubbles: true, composed: true }));
  }
  if (failed.status === 0) return msg(str`You are offline. ${action} needs the network.`);
  return failed.error.message;
}

/** The line shown above social actions while the browser is offline. */
export function offlineNotice(action: string): string {
  return msg(str`You are offline. ${action} needs the network; what you see here is kept on this device.`);
}
