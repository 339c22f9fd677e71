/**
 * LevelDB and PostgreSQL keep the same documents (issue 11): random
 * sequences of appends (updates and client owners), compactions of any
 * prefix and reloads, applied to both logs, load as byte-identical
 * documents with the same clocks, entries and owners after every step.
 */
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useTestDatabase } from '../../testing/use-test-database.js';
import { useTestSchema } from '../../testing/use-test-schema.js';
import type { DocumentLog, StoredDoc } from '../document-log.js';
import { LevelDocumentLog } from '../level-document-log.js';
import { PostgresDocumentLog } from './postgres-document-log.js';
import { ProcessLease } from './process-lease.js';

const level = useTestDatabase();
const pg = useTestSchema();
let lease: ProcessLease | undefined;

afterEach(() => lease?.stop());

type Op =
  | { kind: 'append'; edits: { key: string; value: number | null }[]; owners: number[] }
  | { kind: 'compact'; fraction: number }
  | { kind: 'reload' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      edits: fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), value: fc.option(fc.integer({ min: 0, max: 99 })) }), {
        maxLength: 4,
      }),
      owners: fc.array(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { maxLength: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('compact' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const) }) },
);

/** What a loaded document is, for comparing: its encoded state, clocks, entries and owners. */
function snapshot(stored: StoredDoc): unknown {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored.update);
  return {
    state: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'),
    map: doc.getMap('m').toJSON(),
    entries: stored.entries,
    nextClock: stored.nextClock,
    owners: [...stored.clientOwners].sort((a, b) => a[0] - b[0]),
  };
}

let run = 0;

it('random appends, compactions and reloads give the same documents on LevelDB and PostgreSQL', async () => {
  lease = await ProcessLease.start(pg.pool, { leaseMs: 60_000 });
  const pgLease = lease;
  await fc.assert(
    fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 14 }), async (ops) => {
      const name = `conv/run${run++}`;
      let logs: DocumentLog[] = [new LevelDocumentLog(level.db), new PostgresDocumentLog(pg.pool, pgLease)];
      for (const log of logs) await log.load(name);
      const writer = new Y.Doc();
      const written: Uint8Array[] = [];
      let nextClock = 0;
      for (const op of ops) {
        if (op.kind === 'append') {
          const updates: Uint8Array[] = [];
          const capture = (update: Uint8Array) => updates.push(update);
          writer.on('update', capture);
          for (const { key, value } of op.edits) {
            if (value === null) writer.getMap('m').delete(key);
            else writer.getMap('m').set(key, value);
          }
          writer.off('update', capture);
          const batch = { updates, clientOwners: op.owners.map((id) => [id, `user-${id % 7}`] as const) };
          for (const log of logs) expect(await log.append(name, batch, nextClock)).toEqual({ stored: true });
          written.push(...updates);
          nextClock += updates.length;
        } else if (op.kind === 'compact') {
          if (nextClock === 0) continue;
          const upto = 1 + Math.floor(op.fraction * (nextClock - 1));
          const merged = Y.mergeUpdates(written.slice(0, upto));
          for (const log of logs) await log.compact(name, upto, merged);
        } else {
          logs = [new LevelDocumentLog(level.db), new PostgresDocumentLog(pg.pool, pgLease)];
        }
        const [fromLevel, fromPostgres] = await Promise.all(logs.map((log) => log.load(name)));
        expect(snapshot(fromPostgres)).toEqual(snapshot(fromLevel));
        expect(fromPostgres.nextClock).toBe(nextClock);
      }
    }),
    { numRuns: 25 },
  );
});
