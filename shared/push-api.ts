/**
 * The push notification contract (docs/PUSH.md): what a device sends to
 * subscribe, the person's notification settings, and the payload the
 * server encrypts for the service worker. Shared so the server, the page
 * and the service worker read one shape.
 */
import { z } from 'zod';
import { isValidId } from './doc-names.js';
import { DIGEST_AFTER_CHOICES } from './push-settings.js';

export type { PushPayload } from './push-payload.js';

/** Longest push endpoint URL we keep (real ones are under 600 characters). */
export const PUSH_ENDPOINT_MAX_LENGTH = 1024;

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+=*$/, { message: 'invalid_request' });

/** A browser's `PushSubscription.toJSON()`, as the page posts it. */
export const PushSubscriptionRequest = z.object({
  endpoint: z.string().url().max(PUSH_ENDPOINT_MAX_LENGTH),
  keys: z.object({
    /** The device's P-256 public key (65 bytes, base64url). */
    p256dh: base64url(100),
    /** The device's 16-byte auth secret (base64url). */
    auth: base64url(40),
  }),
});
export type PushSubscriptionRequest = z.infer<typeof PushSubscriptionRequest>;

export const PushUnsubscribeRequest = z.object({ endpoint: z.string().url().max(PUSH_ENDPOINT_MAX_LENGTH) });

export { DIGEST_AFTER_CHOICES, type PushSettings } from './push-settings.js';

export const PushSettingsChange = z
  .object({
    showContent: z.boolean().optional(),
    digestAfterMinutes: z
      .number()
      .int()
      .refine((minutes) => (DIGEST_AFTER_CHOICES as readonly number[]).includes(minutes), { message: 'invalid_request' })
      .nullable()
      .optional(),
  })
  .refine((change) => change.showContent !== undefined || change.digestAfterMinutes !== undefined, { message: 'invalid_request' });
export type PushSettingsChange = z.infer<typeof PushSettingsChange>;

export const MuteRequest = z.object({ muted: z.boolean() });

export const conversationIdParam = z.string().refine(isValidId, { message: 'invalid_request' });

/** The server's VAPID public key, for `pushManager.subscribe({applicationServerKey})`. */
export interface PushKey {
  publicKey: string;
}
