/**
 * Push notifications from the page's side (docs/PUSH.md): this device's
 * subscription (made only after the person agreed, from a click), the
 * person's notification settings and mutes. Results are values, as in
 * api-client.ts.
 */
import { msg, str } from '@lit/localize';
import type { PushKey, PushSettings, PushSettingsChange } from '../../../shared/push-api.js';
import { api, type ApiClient, type ApiResult } from './api-client.js';

export type DeviceState =
  /** No service worker or Push API here (or not a secure context). */
  | 'unsupported'
  /** The person blocked notifications for this site in the browser. */
  | 'blocked'
  | 'off'
  | 'on';

export function pushSupported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    typeof PushManager !== 'undefined' &&
    typeof Notification !== 'undefined'
  );
}

/**
 * How long a read of `Notification.permission` is taken as still true. In
 * Chromium each read is a synchronous call to the browser process; the
 * conversation's header asked it on every render, and on a busy machine one
 * read took 388 ms of an older segment's step (bench `history`, its profile).
 */
export const PERMISSION_KEPT_MS = 2000;
let permissionRead: { value: NotificationPermission; at: number } | undefined;

/** The notification permission, read from the browser at most once per `PERMISSION_KEPT_MS` (afresh after a request here); undefined without the Notification API. */
export function notificationPermission(now: number = Date.now()): NotificationPermission | undefined {
  if (typeof Notification === 'undefined') return undefined;
  if (!permissionRead || now - permissionRead.at >= PERMISSION_KEPT_MS || now < permissionRead.at) {
    permissionRead = { value: Notification.permission, at: now };
  }
  return permissionRead.value;
}

/** Asks the person for notifications (from a click); the next `notificationPermission()` reads the answer. */
export async function requestNotificationPermission(): Promise<NotificationPermission> {
  try {
    return await Notification.requestPermission();
  } finally {
    permissionRead = undefined;
  }
}

export class PushClient {
  constructor(private readonly client: ApiClient = api) {}

  settings(): Promise<ApiResult<PushSettings>> {
    return this.client.request('GET', '/api/push/settings');
  }

  changeSettings(change: PushSettingsChange): Promise<ApiResult<PushSettings>> {
    return this.client.request('PATCH', '/api/push/settings', change);
  }

  setMuted(conversationId: string, muted: boolean): Promise<ApiResult<{ muted: boolean }>> {
    return this.client.request('PUT', `/api/conversations/${encodeURIComponent(conversationId)}/mute`, { muted });
  }

  /** Whether this device receives pushes now. */
  async deviceState(): Promise<DeviceState> {
    if (!pushSupported()) return 'unsupported';
    if (Notification.permission === 'denied') return 'blocked';
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    return subscription && Notification.permission === 'granted' ? 'on' : 'off';
  }

  /**
   * Asks for permission (call from a click: browsers require a gesture),
   * subscribes this browser with the server's key and registers it for the
   * signed-in session. Returns the state reached, or an error message.
   */
  async enableDevice(): Promise<{ state: DeviceState; error?: string }> {
    if (!pushSupported()) return { state: 'unsupported' };
    const permission = await requestNotificationPermission();
    if (permission !== 'granted') return { state: permission === 'denied' ? 'blocked' : 'off' };
    const key = await this.client.request<PushKey>('GET', '/api/push/key');
    if (!key.ok) return { state: 'off', error: key.error.message };
    try {
      const registration = await navigator.serviceWorker.ready;
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(key.value.publicKey) }));
      const saved = await this.client.request('POST', '/api/push/subscriptions', subscription.toJSON());
      if (!saved.ok) return { state: 'off', error: saved.error.message };
      return { state: 'on' };
    } catch (error) {
      return { state: 'off', error: msg(str`This browser could not subscribe to notifications (${String(error)}).`) };
    }
  }

  /** Stops pushes to this device: at the server, then in the browser. */
  async disableDevice(): Promise<{ state: DeviceState; error?: string }> {
    const subscription = await currentSubscription();
    if (!subscription) return { state: 'off' };
    const removed = await this.client.request('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint });
    if (!removed.ok && removed.status !== 404) return { state: 'on', error: removed.error.message };
    await subscription.unsubscribe();
    return { state: 'off' };
  }

  /**
   * The app's language changed. The server keeps a language with this
   * device's subscription (for its pushes) and with the settings (for the
   * digest mail), each from the Accept-Language of the request that stored
   * it, since it sends both outside any request: store both again, now in
   * the new language. Nothing to do for a device without pushes.
   */
  async followLanguage(): Promise<void> {
    const subscription = await currentSubscription();
    if (subscription && Notification.permission === 'granted') {
      await this.client.request('POST', '/api/push/subscriptions', subscription.toJSON());
    }
    // A change must name a setting: the one it already has, so only the language is new.
    const current = await this.settings();
    if (current.ok) await this.changeSettings({ showContent: current.value.showContent });
  }

  /** At sign-out: the server already dropped the session's devices; the browser's subscription goes too. */
  async forgetDevice(): Promise<void> {
    await (await currentSubscription())?.unsubscribe();
  }
}

async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The app's one push client. */
export const push = new PushClient();
