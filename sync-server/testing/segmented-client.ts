/**
 * An honest client of a conversation in history segments (docs/SEGMENTS.md),
 * in Node: it keeps `conv/<id>` open (the segment list), sends into the
 * newest segment it knows, and opens older segments on demand. Tests read
 * the whole conversation back through fresh replicas with `readConversation`.
 */
import * as Y from 'yjs';
import { convDocName, segmentDocName } from '../../shared/doc-names.js';
import { messagesOf, newestSegmentOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { RunningServer } from '../server.js';
import type { ServerAddress } from './server-address.js';
import { openDoc, whenSynced, type SyncedClient } from './synced-client.js';
import type { TestUser } from './test-users.js';
import { waitFor } from './wait-for.js';

export interface SegmentedClient {
  /** The newest segment this client knows of (from its copy of the list). */
  newest(): number;
  /** The client's replica of segment `n`, opened and synced on first use. */
  segment(n: number): Promise<SyncedClient>;
  /** Writes a text message into the newest segment it knows and waits until it has its number there; returns it and where it went. */
  sendAndWait(text: string): Promise<{ message: Message; segment: number }>;
  /** Writes a text message into the newest segment it knows, synced or not (a device offline or reconnecting); returns it and where it went. */
  write(text: string): { message: Message; segment: number };
  /** Whether every message this client wrote with `write` has its number in the segment it went to. */
  allNumbered(): boolean;
  /** The replicas this client has open (to wait on their updates). */
  docs(): Y.Doc[];
  destroy(): void;
}

/** Opens a conversation as `user` would with a client that reads segments. */
export async function openSegmented(
  server: ServerAddress | RunningServer,
  user: TestUser,
  conversationId: string,
  options: { maxBackoffTime?: number } = {},
): Promise<SegmentedClient> {
  const opened = new Map<number, SyncedClient>();
  const written: Array<{ id: string; segment: number }> = [];
  const replica = (n: number): SyncedClient => {
    let client = opened.get(n);
    if (!client) {
      client = openDoc(server, user, segmentDocName(conversationId, n), new Y.Doc(), options);
      opened.set(n, client);
    }
    return client;
  };
  const open = async (n: number): Promise<SyncedClient> => {
    const client = replica(n);
    await whenSynced(client);
    return client;
  };
  const list = await open(0);
  return {
    newest: () => newestSegmentOf(list.doc).segment,
    segment: open,
    async sendAndWait(text) {
      const n = newestSegmentOf(list.doc).segment;
      const { doc } = await open(n);
      const message = writeMessage(doc, user.id, text);
      await waitFor(doc, () => seqIndexOf(doc).has(message.id), 10_000, `"${text}" numbered`);
      return { message, segment: n };
    },
    write(text) {
      const segment = newestSegmentOf(list.doc).segment;
      const message = writeMessage(replica(segment).doc, user.id, text);
      written.push({ id: message.id, segment });
      return { message, segment };
    },
    allNumbered: () => written.every(({ id, segment }) => seqIndexOf(replica(segment).doc).has(id)),
    docs: () => [...opened.values()].map((client) => client.doc),
    destroy() {
      for (const client of opened.values()) client.destroy();
    },
  };
}

/** One message as a fresh device reads it back: its segment and the number beside it there. */
export interface ReadMessage {
  message: Message;
  segment: number;
  seq: number | undefined;
}

/** Reads every segment of a conversation through fresh replicas (the relay's copy), oldest first. */
export async function readConversation(
  server: ServerAddress | RunningServer,
  user: TestUser,
  conversationId: string,
): Promise<ReadMessage[]> {
  const clients: SyncedClient[] = [];
  try {
    const head = openDoc(server, user, convDocName(conversationId));
    clients.push(head);
    await whenSynced(head);
    const read: ReadMessage[] = [];
    for (let n = 0; n <= newestSegmentOf(head.doc).segment; n++) {
      const client = n === 0 ? head : openDoc(server, user, segmentDocName(conversationId, n), new Y.Doc());
      if (n > 0) clients.push(client);
      await whenSynced(client);
      const seq = seqIndexOf(client.doc);
      messagesOf(client.doc).forEach((message, id) => read.push({ message, segment: n, seq: seq.get(id) }));
    }
    return read;
  } finally {
    for (const client of clients) client.destroy();
  }
}
