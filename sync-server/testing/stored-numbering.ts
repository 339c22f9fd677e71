/**
 * The verdict every failure test of a relay cluster ends with (docs/SCALING.md,
 * "Tests"), written once: once the load stopped, every written message is
 * numbered at every writer, the stored log holds exactly 1..N (none lost, none
 * numbered twice), each writer's replica equals it, and every number a replica
 * ever showed is the one stored (nothing was shown and then lost or renumbered).
 */
import { expect } from 'vitest';
import type * as Y from 'yjs';
import { seqIndexOf } from '../../shared/seq-index.js';
import { type ClusterWriter, numbered, oneTo, type RelayCluster, sortedNumbers } from './relay-cluster.js';
import { waitFor } from './wait-for.js';

export interface StoredNumberingCheck {
  cluster: RelayCluster;
  docName: string;
  writers: ClusterWriter[];
  /** The ids of the messages written (all must be numbered at every writer). */
  written: readonly string[];
  /** Every number each writer's replica showed (recordNumbers), when recorded. */
  seen?: ReadonlyArray<Map<string, number[]>>;
  /** How long the writers may take to show every written message numbered. */
  timeoutMs?: number;
}

/** Asserts the verdict above; returns the stored document for any further check. */
export async function expectStoredNumbering(check: StoredNumberingCheck): Promise<Y.Doc> {
  const { cluster, docName, writers, written, seen = [], timeoutMs = 30_000 } = check;
  for (const { client } of writers)
    await waitFor(client.doc, () => written.every((id) => seqIndexOf(client.doc).has(id)), timeoutMs, 'every written message numbered');
  const stored = await cluster.stored(docName);
  expect(sortedNumbers(stored)).toEqual(oneTo(seqIndexOf(stored).size));
  for (const { client } of writers) await waitFor(client.doc, () => seqIndexOf(client.doc).size === seqIndexOf(stored).size, 10_000);
  for (const { client } of writers) expect(numbered(client.doc)).toEqual(numbered(stored));
  for (const numbers of seen) for (const [id, shown] of numbers) expect({ id, shown }).toEqual({ id, shown: [seqIndexOf(stored).get(id)] });
  return stored;
}
