/**
 * Search (issue 18): the device's index and the server's.
 *
 * - Device: 100,000 messages (English and Chinese, short like chat) in 100
 *   conversations, indexed by `MessageIndex` as the app does; the serialized
 *   size (what IndexedDB keeps), the time to load it back, and queries over
 *   every conversation (English prefixes, Chinese words, two-term queries).
 *   Run in Node's V8, the engine of Chromium; the app's IndexedDB read is
 *   not in the load figure.
 * - Server (search-server.ts): `SEARCH_BENCH_SERVER_MESSAGES` (default
 *   1,000,000) messages in 1,000 conversations, in LevelDB and in
 *   PostgreSQL, queried by a person in 50 of them and by one in 500.
 *
 * Targets from the issue: a device query ≤ 50 ms, the device index ≤ 30 MB,
 * a server query ≤ 200 ms.
 */
import type { Message } from '../../shared/schema.js';
import { queryTerms } from '../../shared/search-tokens.js';
import { DEVICE_RESULT_LIMIT } from '../../client/data/search/device-search.js';
import { MessageIndex } from '../../client/data/search/message-index.js';
import { seededRandom } from '../../sync-server/testing/seeded-random.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { messageText, percentile, QUERIES, round } from './search-corpus.js';
import { levelServerSearch, postgresServerSearch, SERVER_MESSAGES } from './search-server.js';

const DEVICE_MESSAGES = 100_000;
const DEVICE_CONVERSATIONS = 100;
const QUERY_ROUNDS = 5;

async function deviceIndex(): Promise<{ rows: Row[]; raw: Record<string, number> }> {
  const random = seededRandom(18);
  const indexes: MessageIndex[] = [];
  const started = performance.now();
  for (let c = 0; c < DEVICE_CONVERSATIONS; c++) {
    const index = MessageIndex.empty();
    const per = DEVICE_MESSAGES / DEVICE_CONVERSATIONS;
    for (let i = 0; i < per; i++) {
      const id = `${c}-${i}`;
      const message: Message = {
        id,
        author: `u${i % 7}`,
        kind: 'text',
        text: messageText(random),
        createdAt: 1_700_000_000_000 + c * per + i,
      };
      index.update(id, message);
    }
    indexes.push(index);
  }
  const buildMs = performance.now() - started;
  const serialized = indexes.map((index) => index.serialize());
  // What IndexedDB keeps of each record: the index's JSON string and the signatures.
  const bytes = serialized.reduce(
    (sum, record) => sum + Buffer.byteLength(record.index, 'utf8') + Buffer.byteLength(JSON.stringify(record.indexed), 'utf8'),
    0,
  );
  const loadStart = performance.now();
  const loaded = serialized.map((record) => MessageIndex.restore(record));
  const loadMs = performance.now() - loadStart;
  const times: number[] = [];
  // A query runs on one thread without waiting: its CPU time is what it takes on a core of its own, whatever else runs.
  const cpuTimes: number[] = [];
  for (let r = 0; r < QUERY_ROUNDS; r++) {
    for (const query of QUERIES) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const terms = queryTerms(query);
      // As DeviceSearch does: each index's newest, then the newest of all.
      const hits = loaded.flatMap((index) => index.find(terms, DEVICE_RESULT_LIMIT));
      hits.sort((a, b) => b.createdAt - a.createdAt).splice(DEVICE_RESULT_LIMIT);
      const cpu = process.cpuUsage(cpu0);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      times.push(performance.now() - t0);
    }
  }
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const cpuP50 = percentile(cpuTimes, 50);
  const cpuP95 = percentile(cpuTimes, 95);
  const rows: Row[] = [
    {
      scenario: 'search',
      metric: 'device: query over 100,000 messages, p50',
      unit: 'ms',
      ours: round(p50),
      reference: 'n/a',
      target: { kind: 'at-most', value: 50 },
    },
    {
      scenario: 'search',
      metric: 'device: query over 100,000 messages, p95',
      unit: 'ms',
      ours: round(p95),
      reference: 'n/a',
      target: { kind: 'at-most', value: 50 },
    },
    {
      scenario: 'search',
      metric: 'device: query CPU time, p50',
      unit: 'ms',
      ours: round(cpuP50),
      reference: 'n/a',
      target: { kind: 'at-most', value: 50 },
      note: 'the query on a core of its own (a busy machine inflates the wall clock, not this)',
    },
    {
      scenario: 'search',
      metric: 'device: query CPU time, p95',
      unit: 'ms',
      ours: round(cpuP95),
      reference: 'n/a',
      target: { kind: 'at-most', value: 50 },
    },
    {
      scenario: 'search',
      metric: 'device: index size (100,000 messages)',
      unit: 'MiB',
      ours: round(bytes / 2 ** 20),
      reference: 'n/a',
      target: { kind: 'at-most', value: 30 },
      note: '100 conversation records: the index JSON and the signatures, UTF-8',
    },
    {
      scenario: 'search',
      metric: 'device: load the saved index (100,000)',
      unit: 'ms',
      ours: Math.round(loadMs),
      reference: 'n/a',
      note: 'MiniSearch.loadJSON of every record, once, at the first search over everything',
    },
    { scenario: 'search', metric: 'device: index 100,000 messages', unit: 'ms', ours: Math.round(buildMs), reference: 'n/a' },
  ];
  return { rows, raw: { buildMs, loadMs, bytes, p50, p95, cpuP50, cpuP95 } };
}

export async function searchScenario(): Promise<ScenarioResult> {
  const device = await deviceIndex();
  // SEARCH_BENCH_SERVER_MESSAGES=0 measures the device alone (the server's part takes minutes).
  const level = SERVER_MESSAGES > 0 ? await levelServerSearch() : { rows: [], raw: {} };
  const postgres = SERVER_MESSAGES > 0 ? await postgresServerSearch() : { rows: [], raw: {} };
  return {
    name: 'search',
    rows: [...device.rows, ...level.rows, ...postgres.rows],
    raw: { device: device.raw, level: level.raw, postgres: postgres.raw },
    failures: [],
  };
}
