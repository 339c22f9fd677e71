/**
 * A push service on loopback, standing in for FCM or Mozilla's autopush in
 * tests. It makes subscriptions the way a browser does (a P-256 key pair
 * and a 16-byte auth secret per device), and for every push request it
 * checks the VAPID header (RFC 8292: an ES256-signed JWT for our origin,
 * signed by the key the server published) and decrypts the body with the
 * device's private key (aes128gcm, RFC 8188 + RFC 8291). Written from the
 * RFCs with node:crypto only, so nothing of the sender's library is reused
 * to check it. A device can be made to answer 410 (expired).
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface StandInSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/** One push request the stand-in accepted and decrypted. */
export interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload, parsed as JSON. */
  payload: unknown;
  claims: VapidClaims;
  /** The `k` of the VAPID header: the server's public key. */
  vapidKey: string;
  ttl: number;
  topic: string | undefined;
  urgency: string | undefined;
}

interface Device {
  ecdh: ECDH;
  publicKey: Buffer;
  auth: Buffer;
  /** What this device's endpoint answers: 201, or 410 once expired. */
  status: number;
}

export interface PushServiceStandIn {
  /** The origin to allow in `PUSH_SERVICE_HOSTS` (https, like real push services). */
  origin: string;
  /** Its self-signed certificate (PEM file), for `PUSH_EXTRA_CA_FILE`. */
  caFile: string;
  /** A new device's subscription, as `PushSubscription.toJSON()` gives it. */
  subscribe(): StandInSubscription;
  /** The device's endpoint answers 410 Gone from now on. */
  expire(endpoint: string): void;
  /** Every push accepted so far. */
  readonly received: ReceivedPush[];
  /** Resolves with the next accepted push to `endpoint` (one not returned before); rejects after `timeoutMs`. */
  nextPush(endpoint: string, timeoutMs?: number): Promise<ReceivedPush>;
  /** Requests refused (bad VAPID, undecryptable), with the reason: tests expect none. */
  readonly refused: string[];
  close(): Promise<void>;
}

export async function startPushServiceStandIn(): Promise<PushServiceStandIn> {
  const devices = new Map<string, Device>();
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  const taken = new Set<ReceivedPush>();
  const waiters = new Set<() => void>();
  let origin = '';

  const tls = selfSignedCertificate();
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const endpoint = origin + (request.url ?? '');
      const device = devices.get(endpoint);
      if (request.method !== 'POST' || !device) return answer(response, 404, 'no such subscription');
      if (device.status !== 201) return answer(response, device.status, 'subscription expired');
      try {
        const push = check(endpoint, device, request.headers, Buffer.concat(chunks));
        received.push(push);
        for (const wake of [...waiters]) wake();
        answer(response, 201, '');
      } catch (error) {
        refused.push(String(error));
        answer(response, 400, String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    get origin() {
      return origin;
    },
    caFile: tls.certFile,
    received,
    refused,
    subscribe() {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${randomBytes(12).toString('base64url')}`;
      devices.set(endpoint, { ecdh, publicKey, auth, status: 201 });
      return { endpoint, keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') } };
    },
    expire(endpoint) {
      const device = devices.get(endpoint);
      if (device) device.status = 410;
    },
    nextPush(endpoint, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const push = received.find((p) => p.endpoint === endpoint && !taken.has(p));
          if (!push) return false;
          taken.add(push);
          stop();
          resolve(push);
          return true;
        };
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`no push to ${endpoint} within ${timeoutMs} ms`));
        }, timeoutMs);
        const stop = () => {
          clearTimeout(timer);
          waiters.delete(look);
        };
        if (!look()) waiters.add(look);
      });
    },
    close() {
      server.closeAllConnections();
      rmSync(tls.dir, { recursive: true, force: true });
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A P-256 certificate for 127.0.0.1, made with the openssl command (Node cannot issue certificates). */
function selfSignedCertificate(): { dir: string; key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'push-stand-in-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { dir, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

function answer(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
}

function check(endpoint: string, device: Device, headers: http.IncomingHttpHeaders, body: Buffer): ReceivedPush {
  if (headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding is ${headers['content-encoding']}`);
  const ttl = Number(headers.ttl);
  if (!Number.isInteger(ttl) || ttl < 0) throw new Error('TTL header missing');
  const { claims, key } = checkVapid(headers.authorization ?? '', new URL(endpoint).origin);
  const payload: unknown = JSON.parse(decrypt(body, device).toString('utf8'));
  const header = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
  return { endpoint, payload, claims, vapidKey: key, ttl, topic: header('topic'), urgency: header('urgency') };
}

/** RFC 8292: `Authorization: vapid t=<JWT>, k=<P-256 public key>`; the JWT is ES256 over our origin, unexpired, with a contact. */
function checkVapid(authorization: string, audience: string): { claims: VapidClaims; key: string } {
  const match = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!match) throw new Error(`not a VAPID Authorization header: ${authorization.slice(0, 40)}`);
  const [, token = '', key = ''] = match;
  const [headerPart = '', claimsPart = '', signaturePart = ''] = token.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { alg?: string; typ?: string };
  if (header.alg !== 'ES256') throw new Error(`JWT alg is ${header.alg}`);
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const signed = Buffer.from(`${headerPart}.${claimsPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature))
    throw new Error('VAPID signature does not verify');
  const claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString('utf8')) as VapidClaims;
  if (claims.aud !== audience) throw new Error(`JWT aud ${claims.aud} is not ${audience}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error(`JWT exp ${claims.exp} is not within 24 hours`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`JWT sub ${claims.sub} is not a contact`);
  return { claims, key };
}

/**
 * RFC 8291 §3.4 key derivation, then RFC 8188 records: salt(16) rs(4)
 * idlen(1) keyid(65: the sender's ephemeral public key), then records of
 * `rs` bytes, each ending in a 16-byte tag, whose plaintext ends with a
 * delimiter (2 in the last record, 1 before) and zero padding.
 */
function decrypt(body: Buffer, device: Device): Buffer {
  if (body.length < 21 + 65 + 17) throw new Error('body too short for aes128gcm');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  if (idlen !== 65 || rs < 18) throw new Error(`unexpected header: idlen ${idlen}, rs ${rs}`);
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const sharedSecret = device.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), device.publicKey, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, device.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const baseNonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const parts: Buffer[] = [];
  const records = Math.ceil(ciphertext.length / rs);
  if (records > 64) throw new Error('too many records');
  for (let index = 0; index < records; index++) {
    const record = ciphertext.subarray(index * rs, (index + 1) * rs);
    const nonce = Buffer.from(baseNonce);
    // The record's sequence number is XORed into the nonce's low bytes (few records: the low 32 bits suffice).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ index) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = index === records - 1;
    if (plain[end] !== (last ? 2 : 1)) throw new Error(`record ${index} has no ${last ? 'final' : ''} delimiter`);
    parts.push(plain.subarray(0, end));
  }
  return Buffer.concat(parts);
}
