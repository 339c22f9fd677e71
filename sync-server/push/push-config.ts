/**
 * Push notification settings from the environment (README, "Configuration";
 * docs/PUSH.md). VAPID keys given here win over the ones the server
 * generates and stores on first start.
 */

/** Push services of the browsers people use; a subscription elsewhere is refused (the server would POST there). */
export const DEFAULT_PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.apple.com',
  'notify.windows.com',
];

export interface PushConfig {
  /** Both or neither: the server's VAPID key pair (base64url), e.g. to share it between servers. */
  vapidPublicKey: string | undefined;
  vapidPrivateKey: string | undefined;
  /** Who the push service contacts about our pushes (`mailto:` or `https:`). */
  vapidSubject: string | undefined;
  /**
   * Where subscriptions may point: a host name (https only; its subdomains
   * too), or an exact origin such as `http://127.0.0.1:4000` (tests).
   */
  serviceHosts: string[];
  /** At most one push per conversation and person this often; later messages ride on the next one. */
  throttleMs: number;
  /** How long a push service keeps a push for a device that is off (seconds). */
  ttlSeconds: number;
  /** A person's devices with notifications; the oldest is dropped past it. */
  subscriptionsPerUser: number;
  /** Give up on a push service that does not answer. */
  requestTimeoutMs: number;
  /** How often due mail digests are looked for. */
  digestCheckMs: number;
  /** A PEM file of extra certificate authorities to trust for push services (a private push service; tests). */
  extraCaFile: string | undefined;
}

type IntFromEnv = (env: NodeJS.ProcessEnv, name: string, fallback: number) => number;

export function pushConfigFromEnv(env: NodeJS.ProcessEnv, intFromEnv: IntFromEnv): PushConfig {
  const publicKey = env.VAPID_PUBLIC_KEY || undefined;
  const privateKey = env.VAPID_PRIVATE_KEY || undefined;
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither');
  }
  const hosts = env.PUSH_SERVICE_HOSTS?.split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return {
    vapidPublicKey: publicKey,
    vapidPrivateKey: privateKey,
    vapidSubject: env.VAPID_SUBJECT || undefined,
    serviceHosts: hosts && hosts.length > 0 ? hosts : DEFAULT_PUSH_SERVICE_HOSTS,
    throttleMs: intFromEnv(env, 'PUSH_THROTTLE_MS', 10_000),
    ttlSeconds: intFromEnv(env, 'PUSH_TTL_SECONDS', 24 * 60 * 60),
    subscriptionsPerUser: intFromEnv(env, 'PUSH_SUBSCRIPTIONS_PER_USER', 10),
    requestTimeoutMs: intFromEnv(env, 'PUSH_REQUEST_TIMEOUT_MS', 10_000),
    digestCheckMs: intFromEnv(env, 'PUSH_DIGEST_CHECK_MS', 60_000),
    extraCaFile: env.PUSH_EXTRA_CA_FILE || undefined,
  };
}

/** Whether the server may send pushes to this endpoint (SSRF guard: only known push services). */
export function endpointAllowed(endpoint: string, serviceHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  for (const entry of serviceHosts) {
    if (entry.includes('://')) {
      if (url.origin === entry.replace(/\/+$/, '')) return true;
    } else if (url.protocol === 'https:' && (url.hostname === entry || url.hostname.endsWith(`.${entry}`))) {
      return true;
    }
  }
  return false;
}
