/**
 * The range reads every store makes over a composite-key sublevel (`owner!id`, see keys.ts):
 * the entries of one owner by id, and the records an index sublevel lists for one owner.
 * One place for the prefix arithmetic instead of a copy in each store.
 */
import { keyPrefix, prefixRange } from './keys.js';

type KeyRange = ReturnType<typeof prefixRange>;

/** The parts of a sublevel these reads use (a level sublevel has them; its overloads keep V from being inferred, so callers name it). */
interface EntryReadable<V> {
  iterator(range: KeyRange): AsyncIterable<[string, V]>;
}
interface KeyReadable {
  keys(range: KeyRange): AsyncIterable<string>;
}

/** Every `owner!id` entry of `sublevel`, by id. */
export async function entriesOf<V>(sublevel: EntryReadable<V>, ownerId: string): Promise<Map<string, V>> {
  const prefix = keyPrefix(ownerId);
  const result = new Map<string, V>();
  for await (const [key, value] of sublevel.iterator(prefixRange(prefix))) result.set(key.slice(prefix.length), value);
  return result;
}

/** The records that `index` (keys `owner!id`) lists for `ownerId`, read from `records` by id; ids no longer there are skipped. */
export async function indexedRecordsOf<V>(
  index: KeyReadable,
  records: { get(id: string): Promise<V | undefined> },
  ownerId: string,
): Promise<V[]> {
  const prefix = keyPrefix(ownerId);
  const result: V[] = [];
  for await (const key of index.keys(prefixRange(prefix))) {
    const record = await records.get(key.slice(prefix.length));
    if (record) result.push(record);
  }
  return result;
}
