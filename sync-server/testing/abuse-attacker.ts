/**
 * The attacker of relay/abuse-load.test.ts, run as its own process so that
 * the work of reading the relay's answers on dozens of sockets does not
 * slow the honest member's measurements in the test process (it did: a
 * third of the worst round trip was the test parsing the attacker's frames).
 *
 * One person doing everything the documented limits (the defaults) allow:
 * as many sockets to one document as a person may hold, a 4 KB presence on
 * each, the whole burst of presence frames and of the write quota at once,
 * then presence frames, presence changes and writes at 90 % of the
 * sustained rates. Every socket reads and drops what it is sent.
 *
 * Usage: node --import tsx abuse-attacker.ts '<AttackPlan JSON>'. Prints
 * "open" once its sockets are open, starts on a line "go" on stdin, stops
 * after `attackMs` (or when stdin closes), prints a JSON summary and exits.
 */
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MAX_AWARENESS_STATE_BYTES } from '../relay/trust/awareness-guard.js';
import { DEFAULT_RELAY_RATE_LIMITS } from '../relay/frame-rate-limits.js';
import { encodeUpdate } from '../relay/frames.js';
import { DEFAULT_PRESENCE_LIMITS } from '../relay/presence-limits.js';
import { DEFAULT_WRITE_QUOTA } from '../relay/write-quota.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { captureUpdate } from '../../shared/testing/update-capture.js';
import { presenceFrame } from './presence-frames.js';

export interface AttackPlan {
  /** ws://host:port/sync/<docName> */
  url: string;
  cookie: string;
  userId: string;
  sockets: number;
  attackMs: number;
}

export interface AttackSummary {
  bytesWritten: number;
  /** Close codes of the attacker's sockets the relay closed. */
  closes: number[];
}

/** The pacing step. */
const TICK_MS = 50;

/** Writes a message of `length` characters into `doc`; returns exactly the update that produced. */
export function messageUpdate(doc: Y.Doc, author: string, length: number): { id: string; update: Uint8Array } {
  let id = '';
  const update = captureUpdate(doc, () => (id = writeMessage(doc, author, 'm'.repeat(length)).id));
  return { id, update };
}

function send(socket: WebSocket, frame: Uint8Array): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(frame);
}

class Attacker {
  readonly docs: Y.Doc[];
  readonly closes: number[] = [];
  bytesWritten = 0;
  private tick = 0;
  private owedBytes = 0;

  constructor(
    private readonly sockets: WebSocket[],
    private readonly userId: string,
  ) {
    this.docs = sockets.map(() => new Y.Doc());
    for (const socket of sockets) socket.on('close', (code) => this.closes.push(code));
  }

  /** Everything the bursts allow, at once. */
  burst(): void {
    const padding = 'p'.repeat(MAX_AWARENESS_STATE_BYTES - 100);
    this.sockets.forEach((socket, i) => send(socket, this.presence(i, 1, padding)));
    // Repeats of a state change nothing but cost a decode each: the person's frame burst, less a margin.
    const repeats = DEFAULT_RELAY_RATE_LIMITS.awarenessPerUser.burst - this.sockets.length * 2;
    for (let i = 0; i < repeats; i++) send(this.sockets[i % this.sockets.length], this.presence(i % this.sockets.length, 1, padding));
    // The write quota's burst, less a margin for what Yjs adds, as long messages over all sockets.
    for (let i = 0; this.bytesWritten < DEFAULT_WRITE_QUOTA.burstBytes * 0.85; i++) this.write(i % this.sockets.length, 9000);
  }

  /** One pacing step: presence frames, presence changes and writes at 90 % of the sustained rates. */
  step(): void {
    this.tick++;
    const framesPerTick = Math.floor((DEFAULT_RELAY_RATE_LIMITS.awarenessPerUser.perSecond * 0.9 * TICK_MS) / 1000);
    for (let i = 0; i < framesPerTick; i++) {
      const at = (this.tick * framesPerTick + i) % this.sockets.length;
      send(this.sockets[at], this.presence(at, 1));
    }
    const changeEveryTicks = Math.ceil(1000 / TICK_MS / (DEFAULT_PRESENCE_LIMITS.changesPerPerson.perSecond * 0.9));
    if (this.tick % changeEveryTicks === 0) {
      const at = (this.tick / changeEveryTicks) % this.sockets.length;
      send(this.sockets[at], this.presence(at, 1 + this.tick));
    }
    this.owedBytes += ((DEFAULT_WRITE_QUOTA.bytesPerHour / 3600) * 0.9 * TICK_MS) / 1000;
    if (this.owedBytes >= 2000) {
      this.owedBytes -= 2000;
      this.write(this.tick % this.sockets.length, 1800);
    }
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    for (const doc of this.docs) doc.destroy();
  }

  private presence(at: number, clock: number, padding = ''): Uint8Array {
    return presenceFrame(this.docs[at].clientID, clock, { user: { name: `M${at}` }, typing: clock % 2 === 0, padding });
  }

  private write(at: number, length: number): void {
    const { update } = messageUpdate(this.docs[at], this.userId, length);
    this.bytesWritten += update.byteLength;
    send(this.sockets[at], encodeUpdate(update));
  }
}

function openSocket(plan: AttackPlan): Promise<WebSocket> {
  const socket = new WebSocket(plan.url, { headers: { cookie: plan.cookie } });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function main(plan: AttackPlan): Promise<void> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < plan.sockets; i++) sockets.push(await openSocket(plan));
  const attacker = new Attacker(sockets, plan.userId);
  const input = readline.createInterface({ input: process.stdin });
  const finish = () => {
    const summary: AttackSummary = { bytesWritten: attacker.bytesWritten, closes: attacker.closes };
    attacker.close();
    process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
  };
  input.on('close', finish);
  input.on('line', (line) => {
    if (line !== 'go') return;
    attacker.burst();
    const pacing = setInterval(() => attacker.step(), TICK_MS);
    setTimeout(() => {
      clearInterval(pacing);
      finish();
    }, plan.attackMs);
  });
  process.stdout.write('open\n');
}

// Only when run as the attacker process, not when the test imports `messageUpdate`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(JSON.parse(process.argv[2] ?? '{}') as AttackPlan).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
