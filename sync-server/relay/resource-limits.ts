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
