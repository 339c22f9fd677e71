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
} as const;

/** One head as it travels: the conversation, when the server wrote it (`rev`: ms on one server, a number from one sequence in a cluster; never decreasing), and the head. */
export interface HeadFrame {
  conversationId: string;
  rev: number;
  head: SharedHead;
}

export function encodeHeadsSubscribe(since: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, HEADS_FRAME_NAME);
  encoding.writeVarUint(encoder, HeadMessageType.subscribe);
  encoding.writeVarUint(encoder, since);
  return encoding.toUint8Array(encoder);
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

/** The `since` of a heads subscribe message (from its type varuint on); null when malformed. */
export function readHeadsSubscribe(message: Uint8Array): number | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== HeadMessageType.subscribe) return null;
    const since = decoding.readVarUint(decoder);
    return decoding.hasContent(decoder) ? null : since;
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
