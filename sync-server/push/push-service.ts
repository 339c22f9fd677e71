/**
 * Web Push, wired once: the VAPID keys, the devices, the person's choices,
 * the badge counts, the sender and the notifier that watches conversations.
 * Routes (http/push-routes.ts) hold no rules; they call these parts.
 */
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { ClusterBus } from '../cluster/cluster-bus.js';
import type { ServerConfig } from '../config.js';
import type { Mailer } from '../mail/mailer.js';
import type { BadgeCountStore } from '../store/badge-counts.js';
import type { Database } from '../store/database.js';
import type { DigestRecordStore } from '../store/digest-records.js';
import type { PushPreferenceStore } from '../store/push-preferences.js';
import type { PushSubscriptionStore } from '../store/push-subscriptions.js';
import type { SessionRecordStore } from '../store/sessions.js';
import type { UserStore } from '../store/users.js';
import { PushNotifier } from './push-notifier.js';
import { PushPreferences } from './push-preferences.js';
import { PushSender } from './push-sender.js';
import { SubscriptionStore } from './subscription-store.js';
import { UnreadDigest } from './unread-digest.js';
import { loadVapidKeys, vapidSubject } from './vapid-keys.js';

export interface PushService {
  publicKey: string;
  subscriptions: SubscriptionStore;
  preferences: PushPreferences;
  notifier: PushNotifier;
  digest: UnreadDigest;
}

export async function startPushService(
  db: Database,
  config: ServerConfig,
  accounts: { users: UserStore; sessions: SessionRecordStore; devices: PushSubscriptionStore; mailer: Mailer },
  stores: { preferences: PushPreferenceStore; badges: BadgeCountStore; digests: DigestRecordStore },
  /** The cluster bus, when there is one: settings changes are told to every relay. */
  bus: ClusterBus | null = null,
): Promise<PushService> {
  const keys = await loadVapidKeys(db, config.push);
  const subscriptions = await SubscriptionStore.open(accounts.devices, config.log);
  const preferences = await PushPreferences.open(stores.preferences, config.log, { bus });
  const sender = new PushSender({
    keys,
    // Read at send time: tests learn the public URL only after listening.
    get subject() {
      return vapidSubject(config.push.vapidSubject, config.publicUrl, config.mailFrom);
    },
    ttlSeconds: config.push.ttlSeconds,
    timeoutMs: config.push.requestTimeoutMs,
    agent: await trustingAgent(config.push.extraCaFile),
  });
  const digest = new UnreadDigest(stores.digests, {
    preferences,
    users: accounts.users,
    mailer: accounts.mailer,
    appUrl: () => config.publicUrl,
    checkMs: config.push.digestCheckMs,
    log: config.log,
  });
  digest.start();
  const notifier = new PushNotifier({
    digest,
    subscriptions,
    preferences,
    badges: stores.badges,
    sender,
    async sessionAlive(sessionId) {
      const session = await accounts.sessions.get(sessionId);
      return session !== undefined && session.expiresAt > Date.now();
    },
    throttleMs: config.push.throttleMs,
    log: config.log,
  });
  return { publicKey: keys.publicKey, subscriptions, preferences, notifier, digest };
}

/** An agent that trusts the extra CAs besides the usual ones; undefined (the default agent) without a file. */
async function trustingAgent(caFile: string | undefined): Promise<https.Agent | undefined> {
  if (!caFile) return undefined;
  const extra = await readFile(caFile, 'utf8');
  return new https.Agent({ keepAlive: true, ca: [...rootCertificates, extra] });
}
