/**
 * Non-reading sockets (issue 20, item 3): one member opens 20 sockets to a
 * multi-MiB conversation, asks each for the document (sync step 1) and never
 * reads. Measured: the relay's RSS (after a full GC) before, while the 20
 * are open, and after they are gone; and whether an honest reader still
 * gets answers. Two attacks: state vectors that know one item (each answer
 * is its own diff of nearly the whole document) and empty ones (the answer
 * every fresh device gets). Our relay only: the reference has no members.
 */
import * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';
import { messagesOf, type Message } from '../../shared/schema.js';
import { encodeSyncStep1 } from '../../sync-server/relay/frames.js';
import { DEFAULT_RELAY_RESOURCE_LIMITS } from '../../sync-server/relay/resource-limits.js';
import { openNonReadingSocket, type NonReadingSocket } from '../../sync-server/testing/non-reading-socket.js';
import { roomSourceFor, type BenchRoom } from '../load/rooms.js';
import { sleep, withTimeout } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { RelayProcess } from '../servers/relay-process.js';

const SOCKETS = 20;
const MiB = 1024 * 1024;
/** About 7 MiB of messages, written in frames under 1 MiB each (so any relay version takes them). */
const MESSAGES_PER_FRAME = 90;
const FRAMES = 8;
const TEXT = 'x'.repeat(9_900);
/** Time for the relay to take the 20 requests and answer (or drop) them before RSS is read. */
const SETTLE_MS = 3_000;

type Attack = 'one-item state vectors' | 'empty state vectors';
const ATTACKS: Attack[] = ['one-item state vectors', 'empty state vectors'];

interface Measured {
  documentBytes: number;
  baseRss: number;
  withSocketsRss: number;
  afterRss: number;
  honestReaderAnswered: boolean;
}

export async function nonReadingSockets(): Promise<ScenarioResult> {
  const failures: string[] = [];
  const measured: Partial<Record<Attack, Measured>> = {};
  // Write quotas off (the fill is one person writing 7 MiB at once); the send budget back at its
  // default, which the other scenarios lift because their two accounts stand for many people.
  const relay = await RelayProcess.start('happy-chat', {
    WRITE_QUOTA_BURST_BYTES: String(1 << 30),
    WRITE_QUOTA_BYTES_PER_HOUR: String(1 << 30),
    RELAY_QUEUED_BYTES_PER_PERSON: String(DEFAULT_RELAY_RESOURCE_LIMITS.queuedBytesPerPerson),
  });
  try {
    const [room] = await roomSourceFor(relay).rooms(1);
    const documentBytes = await fill(room);
    for (const attack of ATTACKS) {
      measured[attack] = await measure(relay, room, attack, documentBytes);
      if (!measured[attack]?.honestReaderAnswered) failures.push(`${attack}: the honest reader got no answer`);
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    await relay.stop();
  }
  const rows: Row[] = ATTACKS.flatMap((attack) => {
    const m = measured[attack];
    const scenario = `${SOCKETS} non-reading sockets, ${m ? (m.documentBytes / MiB).toFixed(1) : '?'} MiB conversation, ${attack}`;
    return [
      {
        scenario,
        metric: 'relay RSS growth while they are open',
        unit: 'MiB',
        ours: m ? (m.withSocketsRss - m.baseRss) / MiB : null,
        reference: 'n/a (no members)',
      } satisfies Row,
      {
        scenario,
        metric: 'relay RSS growth after they are gone',
        unit: 'MiB',
        ours: m ? (m.afterRss - m.baseRss) / MiB : null,
        reference: 'n/a (no members)',
      } satisfies Row,
    ];
  });
  return { name: 'non-reading-sockets', rows, raw: { sockets: SOCKETS, measured }, failures };
}

/** Writes about 7 MiB of messages as the first member; returns the document's encoded size. */
async function fill(room: BenchRoom): Promise<number> {
  const writer = room.connect(0, { awareness: false });
  try {
    await withTimeout(writer.synced, 30_000, 'the writer synced');
    for (let frame = 0; frame < FRAMES; frame++) {
      writer.doc.transact(() => {
        for (let i = 0; i < MESSAGES_PER_FRAME; i++) {
          const message: Message = { id: newMessageId(), author: room.authorOf(0), kind: 'text', text: TEXT, createdAt: Date.now() };
          messagesOf(writer.doc).set(message.id, message);
        }
      });
      await withTimeout(writer.roundTrip(), 30_000, 'a fill frame stored');
    }
    if (writer.droppedByRelay)
      throw new Error(`the relay closed the writer: ${writer.droppedByRelay.code} ${writer.droppedByRelay.reason}`);
    return Y.encodeStateAsUpdate(writer.doc).byteLength;
  } finally {
    writer.close();
  }
}

async function measure(relay: RelayProcess, room: BenchRoom, attack: Attack, documentBytes: number): Promise<Measured> {
  // A fresh process: the fill's garbage is not in the figures.
  await relay.restart();
  const reader = room.connect(1, { awareness: false });
  const sockets: NonReadingSocket[] = [];
  try {
    await withTimeout(reader.synced, 30_000, 'the honest reader synced');
    const baseRss = await relay.rssAfterGc();
    const [someClient] = Y.decodeStateVector(Y.encodeStateVector(reader.doc)).keys();
    const stateVector = attack === 'empty state vectors' ? new Map<number, number>() : new Map([[someClient, 1]]);
    const stepOne = encodeSyncStep1(Y.encodeStateVector(stateVector));
    const port = Number(new URL(relay.url).port);
    for (let i = 0; i < SOCKETS; i++) {
      const socket = await openNonReadingSocket({ port }, room.members[0].cookie, room.docName);
      sockets.push(socket);
      socket.stopReading();
      socket.sendFrame(stepOne);
    }
    await sleep(SETTLE_MS);
    const withSocketsRss = await relay.rssAfterGc();
    const honestReaderAnswered = await withTimeout(reader.roundTrip(), 30_000, 'the honest reader answered').then(
      () => true,
      () => false,
    );
    for (const socket of sockets.splice(0)) socket.destroy();
    await sleep(SETTLE_MS);
    const afterRss = await relay.rssAfterGc();
    return { documentBytes, baseRss, withSocketsRss, afterRss, honestReaderAnswered };
  } finally {
    for (const socket of sockets) socket.destroy();
    reader.close();
  }
}
