/**
 * The server's VAPID key pair (RFC 8292): it signs every push request, and
 * browsers bind each subscription to its public key. Given by environment,
 * or generated on first start and kept in the store, so subscriptions
 * survive restarts.
 */
import webpush from 'web-push';
import type { Database } from '../store/database.js';
import type { PushConfig } from './push-config.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const STORE_KEY = 'vapid';

/** The configured keys, else the stored ones, else new ones (stored before use). */
export async function loadVapidKeys(db: Database, config: Pick<PushConfig, 'vapidPublicKey' | 'vapidPrivateKey'>): Promise<VapidKeys> {
  if (config.vapidPublicKey && config.vapidPrivateKey) return { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey };
  const stored = db.root.sublevel<string, VapidKeys>('pushKeys', { valueEncoding: 'json' });
  const existing = await stored.get(STORE_KEY);
  if (existing) return existing;
  const created = webpush.generateVAPIDKeys();
  await stored.put(STORE_KEY, created);
  return created;
}

/** The VAPID `sub` claim: the configured contact, else the app's address (a mailto: when it is not https). */
export function vapidSubject(configured: string | undefined, publicUrl: string, mailFrom: string): string {
  if (configured) return configured;
  if (publicUrl.startsWith('https:')) return publicUrl;
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
  return `mailto:${address.trim()}`;
}
