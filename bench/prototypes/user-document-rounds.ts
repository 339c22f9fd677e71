/**
 * Prototype for issue 14: what a person's user document costs when the
 * heads write into it once per round while nobody has it open, so each
 * round loads it from LevelDB (merging its whole log), applies one change,
 * stores it and unloads it again (the bench's 300 ms unload grace is shorter
 * than the heads' 500 ms rounds). Prints the process's CPU per round (all
 * threads, `process.cpuUsage`). Run with
 * `npx tsx bench/prototypes/user-document-rounds.ts [rounds]`.
 */
import { rmSync } from 'node:fs';
import { Database } from '../../sync-server/store/database.js';
import { LevelDocumentLog } from '../../sync-server/store/level-document-log.js';
import { RoomHarness } from '../../sync-server/testing/room-harness.js';
import { makeTempDir } from '../../sync-server/testing/temp-dir.js';

const rounds = Number(process.argv[2] ?? 400);
const dir = await makeTempDir();
const db = await Database.open(dir);
const log = new LevelDocumentLog(db);
const started = process.cpuUsage();
const wall = Date.now();
for (let i = 0; i < rounds; i++) {
  const harness = await RoomHarness.open({ store: log, docName: 'user/ada', compactThreshold: 500 });
  harness
    .connect('ada')
    .change((doc) => doc.getMap('heads').set(`c${i % 30}`, { text: `message number ${i} about something`, at: Date.now(), seq: i }));
  await harness.room.flushed();
  harness.destroy();
}
const used = process.cpuUsage(started);
const entries = (await log.load('user/ada')).entries;
console.log(
  `${rounds} rounds: ${Math.round((used.user + used.system) / rounds)} µs CPU per round, ${Date.now() - wall} ms, log of ${entries} entries at the end`,
);
await db.close();
rmSync(dir, { recursive: true, force: true });
