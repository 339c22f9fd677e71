/**
 * What conversation heads cost the relay in a 500-member group with every
 * member online (issue 12: "the relay's CPU for the heads ≤ 2× the CPU of
 * delivering the message itself; measure both"). In this process, on a real
 * DocRegistry over LevelDB in a temp dir: each member holds a connection to
 * the group's document and one to their own `user/<id>` (the list), over
 * sockets that keep what they are sent. One member sends messages one at a
 * time; each is awaited until every member has it (delivery), and, with
 * heads on, until every member's list got its new head. CPU per message
 * with heads off (delivery alone: number, store, broadcast to 499) and on
 * (delivery plus the round of 500 head writes), runs alternated; the heads'
 * share is the difference. A third mode, shared heads (HEADS_SHARED;
 * docs/PROTOCOL.md, "Shared conversation heads"), writes the head once into
 * the head table (LevelDB) and hands it to each member's listening socket,
 * with only the author's marks written into a user document: its share is
 * measured the same way. Coalescing is off (`HEADS_COALESCE_MS` 0): every
 * message pays a full round, the worst case; with the default 500 ms a busy
 * group pays at most two rounds a second whatever its message rate. The
 * update validator is off in both (it prices the sender's update only, the
 * same with heads or without).
 */
import * as Y from 'yjs';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { membersOf, messagesOf, metaOf, type MemberInfo } from '../../shared/schema.js';
import { textMessage } from '../../shared/testing/text-message.js';
import { ConversationHeads } from '../../sync-server/participants/conversation-heads.js';
import { HeadHub } from '../../sync-server/participants/head-hub.js';
import { HeadTable } from '../../sync-server/participants/head-table.js';
import { HeadWriter } from '../../sync-server/participants/head-writer.js';
import { Connection } from '../../sync-server/relay/connection.js';
import { DocRegistry } from '../../sync-server/relay/doc-registry.js';
import { encodeUpdate } from '../../sync-server/relay/frames.js';
import type { Room } from '../../sync-server/relay/room.js';
import { Database } from '../../sync-server/store/database.js';
import { LevelDocumentLog } from '../../sync-server/store/level-document-log.js';
import { LevelHeadRecords } from '../../sync-server/store/level-head-records.js';
import { TestSocket } from '../../sync-server/testing/room-harness.js';
import { quietLogger } from '../../sync-server/testing/quiet-logger.js';
import { makeTempDir, removeDir } from '../../sync-server/testing/temp-dir.js';
import { sleep } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { median } from '../report/stats.js';

const MEMBERS = Number(process.env.HEADS_MEMBERS ?? 500);
/**
 * 40 (120 per mode): with 10 the medians were of sub-millisecond figures still warming up, and the shared head's
 * share read anywhere from -0.3x to 3.8x delivery on one tree (session 10); HEADS_MESSAGES_PER_RUN sets it.
 */
const MESSAGES_PER_RUN = Number(process.env.HEADS_MESSAGES_PER_RUN ?? 40);
const RUNS = 3;
const STEP_TIMEOUT_MS = 30_000;

/** Heads off (delivery alone), a head per member in their user document, or shared heads. */
type Mode = 'off' | 'per-member' | 'shared';

interface Group {
  send(text: string): Promise<{ cpuMs: number; deliveredMs: number; headsMs: number | null }>;
  close(): Promise<void>;
}

export async function headsCpu(): Promise<ScenarioResult> {
  const failures: string[] = [];
  const off: number[] = [];
  const on: number[] = [];
  const sharedOn: number[] = [];
  const listLatency: number[] = [];
  const sharedListLatency: number[] = [];
  const deliveryLatency: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['off', 'per-member', 'shared'] as const) {
        const group = await onlineGroup(mode);
        try {
          for (let i = 0; i < MESSAGES_PER_RUN; i++) {
            const sent = await group.send(`message ${i} of run ${run} ${'x'.repeat(60)}`);
            ({ off, 'per-member': on, shared: sharedOn })[mode].push(sent.cpuMs);
            if (mode === 'off') deliveryLatency.push(sent.deliveredMs);
            if (sent.headsMs !== null) (mode === 'shared' ? sharedListLatency : listLatency).push(sent.headsMs);
          }
        } finally {
          await group.close();
        }
      }
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  const delivery = off.length > 0 ? median(off) : null;
  const total = on.length > 0 ? median(on) : null;
  const heads = delivery !== null && total !== null ? total - delivery : null;
  const sharedTotal = sharedOn.length > 0 ? median(sharedOn) : null;
  const sharedHeads = delivery !== null && sharedTotal !== null ? sharedTotal - delivery : null;
  const scenario = `heads: one message in a ${MEMBERS}-member group, every member online`;
  const rows: Row[] = [
    {
      scenario,
      metric: 'relay CPU: delivering the message',
      unit: 'ms',
      ours: delivery,
      reference: 'n/a',
      note: `median of ${off.length}: number, store, send to ${MEMBERS - 1}; heads off`,
    },
    {
      scenario,
      metric: 'relay CPU: the heads it causes',
      unit: 'ms',
      ours: heads,
      reference: 'n/a',
      note: `median with heads on (${total?.toFixed(1) ?? '?'} ms, ${on.length} messages) minus delivery; ${heads !== null && delivery ? (heads / delivery).toFixed(1) : '?'}× delivery (target ≤ 2×)`,
    },
    {
      scenario,
      metric: 'every member has it / every list updated',
      unit: 'ms',
      ours: listLatency.length > 0 ? Math.max(...listLatency) : null,
      reference: 'n/a',
      target: { kind: 'at-most', value: 1000 },
      note: `worst of ${listLatency.length}, from the send; delivery alone: median ${deliveryLatency.length > 0 ? median(deliveryLatency).toFixed(1) : '?'} ms`,
    },
    {
      scenario,
      metric: 'relay CPU: the shared head it causes (HEADS_SHARED)',
      unit: 'ms',
      ours: sharedHeads,
      reference: 'n/a',
      note: `median with shared heads (${sharedTotal?.toFixed(2) ?? '?'} ms, ${sharedOn.length} messages) minus delivery; ${sharedHeads !== null && delivery ? (sharedHeads / delivery).toFixed(1) : '?'}× delivery (target ≤ 2×)`,
    },
    {
      scenario,
      metric: 'every member has it / every socket got the shared head',
      unit: 'ms',
      ours: sharedListLatency.length > 0 ? Math.max(...sharedListLatency) : null,
      reference: 'n/a',
      target: { kind: 'at-most', value: 1000 },
      note: `worst of ${sharedListLatency.length}, from the send`,
    },
  ];
  return { name: 'heads', rows, raw: { members: MEMBERS, off, on, sharedOn, listLatency, sharedListLatency, deliveryLatency }, failures };
}

/** A group of MEMBERS people, each online on the group and on their own list (and, shared, listening for heads); member 0 sends. */
async function onlineGroup(mode: Mode): Promise<Group> {
  const withHeads = mode !== 'off';
  const dir = await makeTempDir('happy-chat-bench-heads-');
  const db = await Database.open(dir);
  const registry = new DocRegistry({ store: new LevelDocumentLog(db), unloadGraceMs: 60_000, compactThreshold: 500, log: quietLogger });
  const hub = new HeadHub();
  const shared = mode === 'shared' ? { table: new HeadTable(new LevelHeadRecords(db)), hub } : null;
  const writer = new HeadWriter((docName, change) => registry.change(docName, change), 0, quietLogger, Date.now, shared);
  if (withHeads) registry.useParticipants([new ConversationHeads(writer)]);
  const members: Record<string, MemberInfo> = {};
  const ids = Array.from({ length: MEMBERS }, (_, i) => `member${String(i).padStart(4, '0')}`);
  for (const id of ids) members[id] = { name: id, role: 'member' };
  const conversation = convDocName('benchgroup');
  const room = await registry.acquire(conversation);
  await room.serverChange((doc) => metaOf(doc).set('members', members));
  await writer.idle();
  if (Object.keys(membersOf(room.doc)).length !== MEMBERS) throw new Error('members not set');
  const held: Room[] = [room];
  const join = (target: Room, userId: string) => {
    const socket = new TestSocket();
    const connection = new Connection(socket, { userId, sessionId: `${userId}-session` }, target.name);
    target.join(connection);
    return { socket, connection };
  };
  const inGroup = ids.map((id) => join(room, id));
  const lists: TestSocket[] = [];
  /** With shared heads: each member's socket's head frames (what a /mux socket would be handed). */
  const headSockets: TestSocket[] = [];
  for (const id of ids) {
    const userRoom = await registry.acquire(userDocName(id));
    held.push(userRoom);
    lists.push(join(userRoom, id).socket);
    const headSocket = new TestSocket();
    hub.listen(id, (frame) => headSocket.send(frame));
    headSockets.push(headSocket);
  }
  const sender = inGroup[0];
  const senderId = ids[0] ?? '';
  if (!sender) throw new Error('no sender');
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(room.doc));
  // Let the joins' sync answers and the members round settle before measuring.
  await writer.idle();
  await sleep(300);
  return {
    async send(text) {
      const framesBefore = inGroup.map(({ socket }) => socket.frames.length);
      const listSockets = mode === 'shared' ? headSockets : lists;
      const listFramesBefore = listSockets.map((socket) => socket.frames.length);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const before = Y.encodeStateVector(replica);
      const message = textMessage(senderId, text);
      messagesOf(replica).set(message.id, message);
      room.receive(sender.connection, encodeUpdate(Y.encodeStateAsUpdate(replica, before)));
      await until(() => inGroup.every(({ socket }, i) => i === 0 || socket.frames.length > (framesBefore[i] ?? 0)), STEP_TIMEOUT_MS);
      const deliveredMs = performance.now() - started;
      let headsMs: number | null = null;
      if (withHeads) {
        await writer.idle();
        await until(() => listSockets.every((socket, i) => socket.frames.length > (listFramesBefore[i] ?? 0)), STEP_TIMEOUT_MS);
        headsMs = performance.now() - started;
      }
      const used = process.cpuUsage(cpu);
      return { cpuMs: (used.user + used.system) / 1000, deliveredMs, headsMs };
    },
    async close() {
      await writer.close();
      for (const target of held) registry.release(target);
      await registry.closeAll();
      await db.close();
      await removeDir(dir);
    },
  };
}

/** Resolves when `done` holds, looking on every turn of the event loop; rejects after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > timeoutMs) throw new Error(`not done after ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
