/**
 * What conversation heads cost the relay: one message in a 500-member group
 * (HEADS_MEMBERS) makes one head write into each member's `user/<id>`
 * document (participants/head-writer.ts). Measures, on a real DocRegistry
 * over LevelDB in a temp dir, the CPU time of storing the message itself
 * (the room's batch, without sockets) beside the CPU time of the round of
 * head writes it causes: with the members' user documents not loaded (the
 * first message after they went idle) and loaded (a busy group). Run with
 * `npx tsx bench/heads/head-cost.ts`; docs/ARCHITECTURE.md ("Conversation
 * heads") quotes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { membersOf, messagesOf, metaOf, type MemberInfo } from '../../shared/schema.js';
import { textMessage } from '../../shared/testing/text-message.js';
import { ConversationHeads } from '../../sync-server/participants/conversation-heads.js';
import { HeadWriter } from '../../sync-server/participants/head-writer.js';
import { DocRegistry } from '../../sync-server/relay/doc-registry.js';
import { Database } from '../../sync-server/store/database.js';
import { LevelDocumentLog } from '../../sync-server/store/level-document-log.js';
import { quietLogger } from '../../sync-server/testing/quiet-logger.js';

const MEMBERS = Number(process.env.HEADS_MEMBERS ?? 500);
const ROUNDS = 5;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'heads-bench-'));
  const db = await Database.open(dir);
  const registry = new DocRegistry({ store: new LevelDocumentLog(db), unloadGraceMs: 60_000, compactThreshold: 500, log: quietLogger });
  // Coalescing off: every message is its own round, so each round is measured.
  const writer = new HeadWriter((docName, change) => registry.change(docName, change), 0, quietLogger);
  const heads = new ConversationHeads(writer);
  registry.useParticipants([heads]);
  const members: Record<string, MemberInfo> = {};
  for (let i = 0; i < MEMBERS; i++) members[`member-${i}`] = { name: `Member ${i}`, role: 'member' };
  const room = await registry.acquire('conv/bench');
  const rows: string[] = [];
  const coldStarted = process.cpuUsage();
  const coldWall = performance.now();
  await room.serverChange((doc) => {
    metaOf(doc).set('members', members);
    const message = textMessage('member-0', 'the first message');
    messagesOf(doc).set(message.id, message);
  });
  await writer.idle();
  rows.push(
    `first head (every user document loaded from the store) | – | ${cpuMs(coldStarted).toFixed(1)} ms | ${(performance.now() - coldWall).toFixed(0)} ms`,
  );
  if (Object.keys(membersOf(room.doc)).length !== MEMBERS) throw new Error('members not set');
  for (let round = 0; round < ROUNDS; round++) {
    const messageStarted = process.cpuUsage();
    const wall = performance.now();
    await room.serverChange((doc) => {
      const message = textMessage('member-0', `message ${round} ${'x'.repeat(60)}`);
      messagesOf(doc).set(message.id, message);
    });
    const messageCpu = cpuMs(messageStarted);
    const headsStarted = process.cpuUsage();
    await writer.idle();
    const headsCpu = cpuMs(headsStarted);
    const headsWall = performance.now() - wall;
    rows.push(
      `next message (user documents loaded) | ${messageCpu.toFixed(1)} ms | ${headsCpu.toFixed(1)} ms | ${headsWall.toFixed(0)} ms`,
    );
  }
  console.log(`${MEMBERS} members: one message | CPU storing it | CPU of the head round | wall until every head is stored`);
  for (const row of rows) console.log(row);
  console.log(`documents loaded: ${registry.loadedCount}, heap used ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`);
  registry.release(room);
  await registry.closeAll();
  await db.close();
  await rm(dir, { recursive: true, force: true });
}

await main();
