/**
 * The bus channel between an edge (the relay holding a client's socket)
 * and the owner of the document (the relay running its `Room`): each relay
 * listens on its own inbox. Edges send the client's frames to the owner's
 * inbox, named by the owner's lease identity (the `doc.owner` column), with
 * the person's identity and the edge's connection id; the owner sends back
 * what the room sends that connection other than document updates
 * (awareness; the edge gets committed updates from the batch channel), and
 * the close of a refused connection with its code (docs/SCALING.md, "Edges").
 * Server-side changes travel the same way: a named command to the owner's
 * inbox, its answer to the sender's (cluster-commands.ts, docs/SCALING.md,
 * "Commands").
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { BusChannel } from './cluster-bus.js';
import { varUintSize, writeVarUintAt } from '../relay/varuint.js';

/** Who sent a frame, as the edge authenticated them. */
export interface EdgeClient {
  docName: string;
  /** The edge's own inbox, where the owner answers. */
  edge: string;
  /** The connection's id on its edge. */
  connectionId: string;
  userId: string;
  sessionId: string;
}

export type InboxMessage =
  /** Edge → owner: a connection opened (the room counts it and greets it with presence). */
  | ({ kind: 'join' } & EdgeClient)
  /** Edge → owner: a y-websocket frame from the client, handled as if from a socket of the owner's. */
  | ({ kind: 'frame'; frame: Uint8Array } & EdgeClient)
  /** Edge → owner: the client's socket closed. */
  | ({ kind: 'leave' } & EdgeClient)
  /** Owner → edge: a frame for one connection (presence). */
  | { kind: 'send'; docName: string; connectionId: string; frame: Uint8Array }
  /** Owner → edge: close one connection with this code (a refusal, the document moved). */
  | { kind: 'close'; docName: string; connectionId: string; code: number; reason: string }
  /**
   * Owner → edge: this relay (`from`) could not open the document for a forwarded connection, since `owner` claimed
   * it (it gave the document up after the edge saw it owned here): the edge follows `owner` with the same sockets.
   */
  | { kind: 'moved'; docName: string; from: string; owner: string }
  /** Any relay → owner: run a named server change (`command`, JSON of commands/document-command.ts); answer to `replyTo`'s inbox. */
  | { kind: 'command'; id: string; replyTo: string; command: string }
  /** Owner → sender: the command is stored (`detail`: its outcome, JSON), the document is not the owner's (moved), or it failed (`detail`: why). */
  | { kind: 'command-done'; id: string; status: CommandStatus; detail: string };

export type CommandStatus = 'done' | 'moved' | 'failed';

// New kinds go last: a relay of the previous release reads the others by the same numbers.
const KINDS = ['join', 'frame', 'leave', 'send', 'close', 'command', 'command-done', 'moved'] as const;
const COMMAND_STATUSES: readonly CommandStatus[] = ['done', 'moved', 'failed'];

function writeClient(encoder: encoding.Encoder, client: EdgeClient): void {
  encoding.writeVarString(encoder, client.docName);
  encoding.writeVarString(encoder, client.edge);
  encoding.writeVarString(encoder, client.connectionId);
  encoding.writeVarString(encoder, client.userId);
  encoding.writeVarString(encoder, client.sessionId);
}

/**
 * An edge's message about its client, read into one object: a spread of the client read on its own made two per
 * forwarded frame, and an owner reads one for most of its edges' messages (docs/PERFORMANCE.md, issue 11, session 15).
 */
function readClientMessage(kind: 'join' | 'leave' | 'frame', decoder: decoding.Decoder): InboxMessage {
  const docName = decoding.readVarString(decoder);
  const edge = decoding.readVarString(decoder);
  const connectionId = decoding.readVarString(decoder);
  const userId = decoding.readVarString(decoder);
  const sessionId = decoding.readVarString(decoder);
  if (kind !== 'frame') return { kind, docName, edge, connectionId, userId, sessionId };
  return { kind, docName, edge, connectionId, userId, sessionId, frame: decoding.readVarUint8Array(decoder) };
}

/**
 * A client's five strings as the inbox writes them, encoded once per
 * connection: an edge forwards every frame of its client, and encoding the
 * strings and growing lib0's encoder past its 100 first bytes for each frame
 * was an edge's largest own cost in forwarding (docs/PERFORMANCE.md, issue
 * 11, session 13).
 */
export function encodeEdgeClient(client: EdgeClient): Uint8Array {
  const encoder = encoding.createEncoder();
  writeClient(encoder, client);
  return encoding.toUint8Array(encoder);
}

/**
 * What an edge says to the owner about a client (`join`, `leave`, or a
 * `frame`), from the client's bytes of `encodeEdgeClient`: the same bytes
 * `relayInbox(...).encode` writes, in one allocation and one copy of the frame.
 */
export function encodeForwarded(kind: 'join' | 'leave' | 'frame', encodedClient: Uint8Array, frame?: Uint8Array): Uint8Array {
  const kindIndex = KINDS.indexOf(kind);
  const frameLength = kind === 'frame' && frame ? frame.byteLength : -1;
  const size = varUintSize(kindIndex) + encodedClient.byteLength + (frameLength < 0 ? 0 : varUintSize(frameLength) + frameLength);
  const bytes = new Uint8Array(size);
  let at = writeVarUintAt(bytes, 0, kindIndex);
  bytes.set(encodedClient, at);
  at += encodedClient.byteLength;
  if (frame && frameLength >= 0) {
    at = writeVarUintAt(bytes, at, frameLength);
    bytes.set(frame, at);
  }
  return bytes;
}

/**
 * An inbox for what `encodeForwarded` made: the same channel name as
 * `relayInbox(id)`, so its subscriber reads the bytes as inbox messages.
 * Only published on; bytes that are no inbox message are refused here too.
 */
export function forwardedInbox(id: string): BusChannel<Uint8Array> {
  const inbox = relayInbox(id);
  return {
    name: inbox.name,
    encode: (bytes) => bytes,
    decode: (bytes) => (inbox.decode(bytes) ? bytes : null),
  };
}

/** The inbox of one relay (`id`: its lease identity, or its process-long edge identity). */
export function relayInbox(id: string): BusChannel<InboxMessage> {
  return {
    name: `inbox:${id}`,
    encode(message) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, KINDS.indexOf(message.kind));
      switch (message.kind) {
        case 'join':
        case 'leave':
          writeClient(encoder, message);
          break;
        case 'frame':
          writeClient(encoder, message);
          encoding.writeVarUint8Array(encoder, message.frame);
          break;
        case 'send':
          encoding.writeVarString(encoder, message.docName);
          encoding.writeVarString(encoder, message.connectionId);
          encoding.writeVarUint8Array(encoder, message.frame);
          break;
        case 'close':
          encoding.writeVarString(encoder, message.docName);
          encoding.writeVarString(encoder, message.connectionId);
          encoding.writeVarUint(encoder, message.code);
          encoding.writeVarString(encoder, message.reason);
          break;
        case 'moved':
          encoding.writeVarString(encoder, message.docName);
          encoding.writeVarString(encoder, message.from);
          encoding.writeVarString(encoder, message.owner);
          break;
        case 'command':
          encoding.writeVarString(encoder, message.id);
          encoding.writeVarString(encoder, message.replyTo);
          encoding.writeVarString(encoder, message.command);
          break;
        case 'command-done':
          encoding.writeVarString(encoder, message.id);
          encoding.writeVarUint(encoder, COMMAND_STATUSES.indexOf(message.status));
          encoding.writeVarString(encoder, message.detail);
          break;
      }
      return encoding.toUint8Array(encoder);
    },
    decode(bytes) {
      try {
        const decoder = decoding.createDecoder(bytes);
        const kind = KINDS[decoding.readVarUint(decoder)];
        let message: InboxMessage | null = null;
        if (kind === 'join' || kind === 'leave' || kind === 'frame') message = readClientMessage(kind, decoder);
        else if (kind === 'send')
          message = {
            kind,
            docName: decoding.readVarString(decoder),
            connectionId: decoding.readVarString(decoder),
            frame: decoding.readVarUint8Array(decoder),
          };
        else if (kind === 'close')
          message = {
            kind,
            docName: decoding.readVarString(decoder),
            connectionId: decoding.readVarString(decoder),
            code: decoding.readVarUint(decoder),
            reason: decoding.readVarString(decoder),
          };
        else if (kind === 'moved')
          message = {
            kind,
            docName: decoding.readVarString(decoder),
            from: decoding.readVarString(decoder),
            owner: decoding.readVarString(decoder),
          };
        else if (kind === 'command')
          message = {
            kind,
            id: decoding.readVarString(decoder),
            replyTo: decoding.readVarString(decoder),
            command: decoding.readVarString(decoder),
          };
        else if (kind === 'command-done') {
          const id = decoding.readVarString(decoder);
          const status = COMMAND_STATUSES[decoding.readVarUint(decoder)];
          const detail = decoding.readVarString(decoder);
          message = status ? { kind, id, status, detail } : null;
        }
        return message && !decoding.hasContent(decoder) ? message : null;
      } catch {
        return null;
      }
    },
  };
}
