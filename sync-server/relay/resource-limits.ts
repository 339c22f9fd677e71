/**
 * The relay's bounds on memory and connections per person and per address
 * (docs/SECURITY.md, "Hardening (issue 20)"): how much may wait to be sent
 * to one connection and to one person, how large a received frame may be,
 * and how many sockets one person or address may hold. Each default is far
 * above what an honest person reaches, and each is set by environment
 * (README, "Configuration"; sync-server/config.ts).
 */
import { MAX_FRAME_BYTES } from '../../shared/limits.js';

export interface RelayResourceLimits {
  /**
   * Bytes waiting to be sent to one connection. A frame that would pass it
   * drops the connection, except into an empty queue (so a document larger
   * than this can still be sent to a fresh device).
   */
  queuedBytesPerConnection: number;
  /**
   * Bytes waiting to be sent to one person over all their connections, with
   * a whole-document answer shared by several of them counted once. Same
   * exception: a frame always fits a person's empty queue.
   */
  queuedBytesPerPerson: number;
  /** Largest sync step 2 frame a client may send (a device's offline backlog comes as one). */
  maxSyncStep2Bytes: number;
  /** Bytes of frames one person may have half-received at once, over all their connections. */
  receivingBytesPerPerson: number;
  /** Sockets one person may hold to one document (tabs and devices). */
  connectionsPerPersonPerDocument: number;
  /** Sockets one person may hold over all documents (one per open conversation today). */
  connectionsPerPerson: number;
  /** Sockets one network address may hold (an office behind one NAT holds many people's). */
  connectionsPerAddress: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_RELAY_RESOURCE_LIMITS: RelayResourceLimits = {
  queuedBytesPerConnection: 8 * MiB,
  queuedBytesPerPerson: 32 * MiB,
  maxSyncStep2Bytes: 16 * MiB,
  receivingBytesPerPerson: 32 * MiB,
  connectionsPerPersonPerDocument: 32,
  // ~250 conversations open in each of a few browsers (Chromium stops at ~255 sockets per profile).
  connectionsPerPerson: 1024,
  connectionsPerAddress: 4096,
};

/** Every frame type but sync step 2 stays within this (shared/limits.ts). */
export const MAX_OTHER_FRAME_BYTES = MAX_FRAME_BYTES;

/** The environment variable of each limit (sync-server/config.ts reads them). */
export const RESOURCE_LIMIT_ENV: Record<keyof RelayResourceLimits, string> = {
  queuedBytesPerConnection: 'RELAY_QUEUED_BYTES_PER_CONNECTION',
  queuedBytesPerPerson: 'RELAY_QUEUED_BYTES_PER_PERSON',
  maxSyncStep2Bytes: 'RELAY_MAX_SYNC_STEP2_BYTES',
  receivingBytesPerPerson: 'RELAY_RECEIVING_BYTES_PER_PERSON',
  connectionsPerPersonPerDocument: 'RELAY_CONNECTIONS_PER_PERSON_PER_DOC',
  connectionsPerPerson: 'RELAY_CONNECTIONS_PER_PERSON',
  connectionsPerAddress: 'RELAY_CONNECTIONS_PER_ADDRESS',
};

/** Throws a clear error for limits that would refuse every socket or every backlog. */
export function checkResourceLimits(limits: RelayResourceLimits): void {
  for (const [name, env] of Object.entries(RESOURCE_LIMIT_ENV) as Array<[keyof RelayResourceLimits, string]>) {
    if (limits[name] < 1) throw new Error(`${env} must be at least 1, got ${limits[name]}`);
  }
  if (limits.maxSyncStep2Bytes < MAX_OTHER_FRAME_BYTES) {
    throw new Error(
      `RELAY_MAX_SYNC_STEP2_BYTES must be at least ${MAX_OTHER_FRAME_BYTES} (the limit of every other frame), got ${limits.maxSyncStep2Bytes}`,
    );
  }
}
