/**
 * Prototype for issue 14: what the search index's keys cost LevelDB next to
 * the document log, in the process's CPU on every thread (LevelDB writes its
 * log and compacts on threads of its own, which a V8 profile does not show).
 * Each message is one document-log `put` (260 bytes, as paced chat stores
 * it); with the index, also 10 postings and a record, written in batches of
 * 45 messages (about what the write queue gathers in 100 ms at the
 * fan-in/out rate). Run with
 * `npx tsx bench/prototypes/leveldb-index-cost.ts [messages] [index|no-index]`.
 */
import { rmSync } from 'node:fs';
import { Level } from 'level';
import { makeTempDir } from '../../sync-server/testing/temp-dir.js';

const messages = Number(process.argv[2] ?? 30_000);
const withIndex = process.argv[3] !== 'no-index';
const BATCH = 45;

const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
const word = (n: number, seed: number) => Array.from({ length: n }, (_, i) => letters[(seed * 31 + i * 7) % 36]).join('');
const conversations = Array.from({ length: 10 }, (_, i) => word(22, i + 1));
const vocabulary = Array.from({ length: 2_000 }, (_, i) => word(3 + (i % 6), i + 100));
// Made before the clock starts: only LevelDB's share is timed.
const values = Array.from({ length: 64 }, (_, i) => Uint8Array.from({ length: 260 }, (_, j) => (i * 131 + j * 17) % 256));
const ids = Array.from({ length: messages }, (_, i) => `${word(14, i)}${String(i).padStart(8, '0')}`);

const dir = await makeTempDir();
const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
await db.open();
const docs = db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' });
const postings = db.sublevel<string, string>('searchPostings', { valueEncoding: 'utf8' });
const records = db.sublevel<string, unknown>('searchMessages', { valueEncoding: 'json' });
/** A put into one of the sublevels (typed loosely: the sublevels' encodings differ). */
type Put = { type: 'put'; key: string; value: unknown; sublevel: unknown };
let pending: Put[] = [];
const started = process.cpuUsage();
for (let i = 0; i < messages; i++) {
  const conversation = conversations[i % conversations.length];
  await docs.put(`conv/${conversation}!${String(i).padStart(12, '0')}`, values[i % values.length]);
  if (!withIndex) continue;
  const terms = Array.from({ length: 10 }, (_, t) => vocabulary[(i * 13 + t * 197) % vocabulary.length]);
  const createdAt = 1_700_000_000_000 + i;
  for (const term of terms)
    pending.push({ type: 'put', key: `${term}!${createdAt}!${conversation}!${ids[i]}`, value: '', sublevel: postings });
  pending.push({
    type: 'put',
    key: `${conversation}!${ids[i]}`,
    value: { author: ids[0], text: ids[i], createdAt, seq: i, terms },
    sublevel: records,
  });
  if (pending.length >= BATCH * 11) {
    await db.batch(pending as never);
    pending = [];
  }
}
await db.close();
const used = process.cpuUsage(started);
console.log(
  `${messages} messages, ${withIndex ? 'with' : 'without'} the index: ${Math.round((used.user + used.system) / messages)} µs CPU per message`,
);
rmSync(dir, { recursive: true, force: true });
