/**
 * Prototype for issue 14: what the search index's keys cost LevelDB next to
 * the document log, in the process's CPU on every thread (LevelDB writes its
 * log and compacts on threads of its own, which a V8 profile does not show;
 * `process.cpuUsage` counts them all, and LevelDB's close waits for its
 * compactions). Each message is one document-log `put` (260 bytes, as paced
 * chat stores it); with the index, also 10 postings and a record, written in
 * batches of 45 messages (about what the write queue gathers in 100 ms at
 * the fan-in/out rate). Run with
 * `npx tsx bench/prototypes/leveldb-index-cost.ts [messages] [layout] [options…]`:
 *
 * - layouts: `no-index`; `index` (the layout of session 7: sublevel
 *   `searchPostings`, key `term!<16-digit time>!convId!messageId`);
 *   `short` (sublevels `sp`/`sm`, the time in 9 base-36 digits);
 *   `grouped` (`short`, but one key per term and batch, its postings in the value);
 * - options: `no-compression`, `buffer=<MiB>` (writeBufferSize), `block=<KiB>` (blockSize).
 */
import { rmSync } from 'node:fs';
import { Level } from 'level';
import { makeTempDir } from '../../sync-server/testing/temp-dir.js';

const messages = Number(process.argv[2] ?? 30_000);
const layout = process.argv[3] ?? 'index';
const flags = process.argv.slice(4);
const withIndex = layout !== 'no-index';
const short = layout === 'short' || layout === 'grouped';
const BATCH = 45;
const option = (name: string) => flags.find((flag) => flag.startsWith(`${name}=`))?.split('=')[1];

const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
const word = (n: number, seed: number) => Array.from({ length: n }, (_, i) => letters[(seed * 31 + i * 7) % 36]).join('');
const conversations = Array.from({ length: 10 }, (_, i) => word(22, i + 1));
const vocabulary = Array.from({ length: 2_000 }, (_, i) => word(3 + (i % 6), i + 100));
// Made before the clock starts: only LevelDB's share is timed.
const values = Array.from({ length: 64 }, (_, i) => Uint8Array.from({ length: 260 }, (_, j) => (i * 131 + j * 17) % 256));
const ids = Array.from({ length: messages }, (_, i) => `${word(14, i)}${String(i).padStart(8, '0')}`);
const time = (createdAt: number) => (short ? createdAt.toString(36).padStart(9, '0') : String(createdAt).padStart(16, '0'));

const dir = await makeTempDir();
const db = new Level<string, unknown>(dir, {
  valueEncoding: 'json',
  compression: !flags.includes('no-compression'),
  ...(option('buffer') ? { writeBufferSize: Number(option('buffer')) * 1024 * 1024 } : {}),
  ...(option('block') ? { blockSize: Number(option('block')) * 1024 } : {}),
});
await db.open();
const docs = db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' });
const postings = db.sublevel<string, string>(short ? 'sp' : 'searchPostings', { valueEncoding: 'utf8' });
const records = db.sublevel<string, unknown>(short ? 'sm' : 'searchMessages', { valueEncoding: 'json' });
/** A put into one of the sublevels (typed loosely: the sublevels' encodings differ). */
type Put = { type: 'put'; key: string; value: unknown; sublevel: unknown };
let pending: Put[] = [];
/** `grouped`: this batch's postings by term. */
let groups = new Map<string, string[]>();
let batches = 0;
let keys = 0;
const started = process.cpuUsage();
for (let i = 0; i < messages; i++) {
  const conversation = conversations[i % conversations.length];
  await docs.put(`conv/${conversation}!${String(i).padStart(12, '0')}`, values[i % values.length]);
  if (!withIndex) continue;
  const terms = Array.from({ length: 10 }, (_, t) => vocabulary[(i * 13 + t * 197) % vocabulary.length]);
  const createdAt = 1_700_000_000_000 + i;
  for (const term of terms) {
    const ref = `${time(createdAt)}!${conversation}!${ids[i]}`;
    if (layout === 'grouped') groups.set(term, [...(groups.get(term) ?? []), ref]);
    else pending.push({ type: 'put', key: `${term}!${ref}`, value: '', sublevel: postings });
  }
  pending.push({
    type: 'put',
    key: `${conversation}!${ids[i]}`,
    value: { author: ids[0], text: ids[i], createdAt, seq: i, terms },
    sublevel: records,
  });
  if ((i + 1) % BATCH === 0) {
    for (const [term, refs] of groups)
      pending.push({ type: 'put', key: `${term}!${time(createdAt)}!${batches}`, value: refs.join(';'), sublevel: postings });
    groups = new Map();
    batches++;
    keys += pending.length;
    await db.batch(pending as never);
    pending = [];
  }
}
await db.close();
const used = process.cpuUsage(started);
console.log(
  `${messages} messages, ${layout} ${flags.join(' ')}: ${Math.round((used.user + used.system) / messages)} µs CPU per message, ${(keys / messages).toFixed(1)} index keys per message`,
);
rmSync(dir, { recursive: true, force: true });
