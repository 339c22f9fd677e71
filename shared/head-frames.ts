/**
 * The shared conversation heads on `/mux` (docs/PROTOCOL.md, "Shared
 * conversation heads"): frames under the reserved name `heads`, never a
 * document, so the relay can hand a head to every member's socket without
 * loading anyone's document. A `head` frame is encoded once per head and the
 * same bytes go to every member. Used by the relay and the browser; decoding
 * never trusts its input.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { isSharedHead, type SharedHead } from './heads.js';

/** The name heads frames carry in place of a document's (a name no document has: doc-names.ts parses none without a slash). */
export const HEADS_FRAME_NAME = 'heads';

export const HeadMessageType = {
  /** Client → relay: send me the heads of my conversations written after `since`, then every new one. */
  subscribe: 103,
  /** Relay → client: one conversation's shared head and its `rev`. */
  head: 104,
  /** Relay → client: the catch-up is complete up to `rev`. */
  caughtUp: 105,
  /** Relay → client: several heads of a catch-up in one frame (to a subscribe that said it reads them). */
  headBatch: 106,
} as const;

/** Heads in one `head-batch` frame at most: 1,000 conversations' catch-up is 4 frames of ~35 KiB, not 1,000 (issue 12's cold first sign-in). */
export const HEADS_PER_BATCH = 256;

/** A heads subscribe as read by the relay: `since`, and whether the client reads `head-batch` frames. */
export interface HeadsSubscribe {
  since: number;
  batches: boolean;
}

/** One head as it travels: the conversation, when the server wrote it (`rev`: ms on one server, a number from one sequence in a cluster; never decreasing), and the head. */
export interface HeadFrame {
  conversationId: string;
  rev: number;
  head: SharedHead;
}

/** `batches`: the client reads `head-batch` frames (a trailing 1; a client before them sent none and gets a frame per head). */
export function encodeHeadsSubscribe(since: number, batches = false): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, HEADS_FRAME_NAME);
  encoding.writeVarUint(encoder, HeadMessageType.subscribe);
  encoding.writeVarUint(encoder, since);
  if (batches) encoding.writeVarUint(encoder, 1);
  return encoding.toUint8Array(encoder);
}

/** A whole `head-batch` frame (name included): the heads one after another, each as in a `head` frame. */
export function encodeHeadBatch(heads: readonly HeadFrame[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, HEADS_FRAME_NAME);
  encoding.writeVarUint(encoder, HeadMessageType.headBatch);
  encoding.writeVarUint(encoder, heads.length);
  for (const { conversationId, rev, head } of heads) {
    encoding.writeVarString(encoder, conversationId);
    encoding.writeVarUint(encoder, rev);
    encoding.writeVarString(encoder, JSON.stringify(head));
  }
  return encoding.toUint8Array(encoder);
}

/** The heads of a `head-batch` message (from its type varuint on); null when the frame is malformed, and without any head that is not one. */
export function readHeadBatch(message: Uint8Array): HeadFrame[] | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== HeadMessageType.headBatch) return null;
    const count = decoding.readVarUint(decoder);
    const heads: HeadFrame[] = [];
    for (let i = 0; i < count; i++) {
      const conversationId = decoding.readVarString(decoder);
      const rev = decoding.readVarUint(decoder);
      const head: unknown = JSON.parse(decoding.readVarString(decoder));
      if (conversationId !== '' && isSharedHead(head)) heads.push({ conversationId, rev, head });
    }
    return decoding.hasContent(decoder) ? null : heads;
  } catch {
    return null;
  }
}

/** A whole `head` frame (name included): what the relay sends to every member as is. */
export function encodeHeadFrame({ conversationId, rev, head }: HeadFrame): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, HEADS_FRAME_NAME);
  encoding.writeVarUint(encoder, HeadMessageType.head);
  encoding.writeVarString(encoder, conversationId);
  encoding.writeVarUint(encoder, rev);
  encoding.writeVarString(encoder, JSON.stringify(head));
  return encoding.toUint8Array(encoder);
}

/** The head of a `head` message (from its type varuint on, as readMuxFrame gives it); null when malformed. */
export function readHeadMessage(message: Uint8Array): HeadFrame | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== HeadMessageType.head) return null;
    const conversationId = decoding.readVarString(decoder);
    const rev = decoding.readVarUint(decoder);
    const head: unknown = JSON.parse(decoding.readVarString(decoder));
    if (decoding.hasContent(decoder) || conversationId === '' || !isSharedHead(head)) return null;
    return { conversationId, rev, head };
  } catch {
    return null;
  }
}

/** A heads subscribe message (from its type varuint on); null when malformed. */
export function readHeadsSubscribe(message: Uint8Array): HeadsSubscribe | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== HeadMessageType.subscribe) return null;
    const since = decoding.readVarUint(decoder);
    const batches = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) === 1 : false;
    return decoding.hasContent(decoder) ? null : { since, batches };
  } catch {
    return null;
  }
}

/** A whole `caught-up` frame: every head written up to `rev` has been sent. */
export function encodeCaughtUp(rev: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, HEADS_FRAME_NAME);
  encoding.writeVarUint(encoder, HeadMessageType.caughtUp);
  encoding.writeVarUint(encoder, rev);
  return encoding.toUint8Array(encoder);
}

/** The `rev` of a caught-up message (from its type on); null when malformed. */
export function readCaughtUp(message: Uint8Array): number | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== HeadMessageType.caughtUp) return null;
    const rev = decoding.readVarUint(decoder);
    return decoding.hasContent(decoder) ? null : rev;
  } catch {
    return null;
  }
}
