/**
 * The channels of the cluster bus (cluster-bus.ts) and their byte layouts,
 * written with lib0 like the sync protocol: revocations for every relay, and
 * each document's committed batches for the relays holding its sockets.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Revocation } from '../relay/revocation.js';
import { varUintSize, writeVarUintAt } from '../relay/varuint.js';
import type { BusChannel } from './cluster-bus.js';

/** A batch the document's owner committed to the store: the updates of clocks `fromClock` up to (not including) `toClock`, merged. */
export interface CommittedBatch {
  docName: string;
  fromClock: number;
  toClock: number;
  update: Uint8Array;
}

/** Reads bytes with `read`; null when they end early, run past, or `read` refuses them. */
function decodeWith<T>(bytes: Uint8Array, read: (decoder: decoding.Decoder) => T | null): T | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const value = read(decoder);
    return decoding.hasContent(decoder) ? null : value;
  } catch {
    return null;
  }
}

const REVOCATION_KINDS = ['session-ended', 'visitor-blocked', 'member-removed'] as const;

/** Every relay closes the sockets a revocation names (cluster-revocations.ts). */
export const revocationChannel: BusChannel<Revocation> = {
  name: 'revocations',
  encode(revocation) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, REVOCATION_KINDS.indexOf(revocation.kind));
    if (revocation.kind === 'member-removed') {
      encoding.writeVarString(encoder, revocation.conversationId);
      encoding.writeVarString(encoder, revocation.userId);
    } else {
      encoding.writeVarString(encoder, revocation.sessionId);
    }
    return encoding.toUint8Array(encoder);
  },
  decode(bytes) {
    return decodeWith<Revocation>(bytes, (decoder) => {
      const kind = REVOCATION_KINDS[decoding.readVarUint(decoder)];
      if (kind === 'member-removed')
        return { kind, conversationId: decoding.readVarString(decoder), userId: decoding.readVarString(decoder) };
      if (kind === undefined) return null;
      return { kind, sessionId: decoding.readVarString(decoder) };
    });
  },
};

/**
 * A committed batch in lib0's layout (`writeVarString`, two `writeVarUint`s, `writeVarUint8Array`: the decoder
 * reads it with lib0), written into one buffer of its exact size. lib0's encoder starts at 100 bytes, grows by a
 * new buffer for the update and copies all into a third: ~600 B of an owner's garbage per batch published
 * (docs/PERFORMANCE.md, issue 11, session 15). A Buffer, so the Redis bus sends it without a view of its own; a
 * small one is cut from Node's shared 8 KB pool, which the Redis bus only writes out (a reader keeping a view of
 * it would keep the pool: the memory bus of the tests delivers it as it is).
 */
export function encodeBatch(batch: CommittedBatch): Buffer {
  const nameBytes = Buffer.byteLength(batch.docName, 'utf8');
  const { fromClock, toClock, update } = batch;
  const size =
    varUintSize(nameBytes) + nameBytes + varUintSize(fromClock) + varUintSize(toClock) + varUintSize(update.byteLength) + update.byteLength;
  const bytes = Buffer.allocUnsafe(size);
  let at = writeVarUintAt(bytes, 0, nameBytes);
  at += bytes.write(batch.docName, at, 'utf8');
  at = writeVarUintAt(bytes, at, fromClock);
  at = writeVarUintAt(bytes, at, toClock);
  at = writeVarUintAt(bytes, at, update.byteLength);
  bytes.set(update, at);
  return bytes;
}

/** The committed batches of one document; only relays holding its sockets subscribe. */
export function batchChannel(docName: string): BusChannel<CommittedBatch> {
  return {
    name: `batches:${docName}`,
    encode: encodeBatch,
    decode(bytes) {
      return decodeWith<CommittedBatch>(bytes, (decoder) => {
        const batch = {
          docName: decoding.readVarString(decoder),
          fromClock: decoding.readVarUint(decoder),
          toClock: decoding.readVarUint(decoder),
          update: decoding.readVarUint8Array(decoder),
        };
        // A batch on another document's channel, or with its clocks reversed, is not one we sent.
        return batch.docName === docName && batch.fromClock < batch.toClock ? batch : null;
      });
    },
  };
}
