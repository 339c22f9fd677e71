/**
 * Sends one encrypted push to one device with `web-push` (aes128gcm,
 * RFC 8291; VAPID, RFC 8292). The outcome says what to do next: a device
 * the push service no longer knows (404, 410) is to be forgotten.
 */
import { createHash } from 'node:crypto';
import type https from 'node:https';
import webpush, { WebPushError } from 'web-push';
import type { PushPayload } from '../../shared/push-payload.js';
import type { SubscriptionRecord } from './subscription-store.js';
import type { VapidKeys } from './vapid-keys.js';

export type SendOutcome = { kind: 'sent' } | { kind: 'gone'; status: number } | { kind: 'failed'; status?: number; error: string };

export interface SenderOptions {
  keys: VapidKeys;
  subject: string;
  ttlSeconds: number;
  timeoutMs: number;
  /** Connections to push services (extra trusted CAs); Node's default agent when unset. */
  agent?: https.Agent;
}

export class PushSender {
  constructor(private readonly options: SenderOptions) {}

  async send(subscription: SubscriptionRecord, payload: PushPayload): Promise<SendOutcome> {
    try {
      await webpush.sendNotification({ endpoint: subscription.endpoint, keys: subscription.keys }, JSON.stringify(payload), {
        vapidDetails: { subject: this.options.subject, publicKey: this.options.keys.publicKey, privateKey: this.options.keys.privateKey },
        TTL: this.options.ttlSeconds,
        // A push service holding an undelivered push of this conversation replaces it with this one.
        topic: topicOf(payload.conversationId),
        urgency: 'high',
        timeout: this.options.timeoutMs,
        contentEncoding: 'aes128gcm',
        ...(this.options.agent ? { agent: this.options.agent } : {}),
      });
      return { kind: 'sent' };
    } catch (error) {
      if (error instanceof WebPushError) {
        if (error.statusCode === 404 || error.statusCode === 410) return { kind: 'gone', status: error.statusCode };
        return { kind: 'failed', status: error.statusCode, error: `${error.statusCode} ${error.body}`.slice(0, 300) };
      }
      return { kind: 'failed', error: String(error) };
    }
  }
}

/** RFC 8030 Topic (at most 32 base64url characters): a hash, so the push service does not learn conversation ids. */
function topicOf(conversationId: string): string {
  return createHash('sha256').update(conversationId).digest('base64url').slice(0, 24);
}
