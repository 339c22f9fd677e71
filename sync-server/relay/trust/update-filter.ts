/**
 * Writes an update again without some of its parts: the structs of some
 * client ids and some ranges of its delete set (issue 20, healing).
 *
 * A replica's sync step 2 carries everything the relay lacks. After the
 * store lost data (a restored backup, a damaged log) that includes other
 * people's lost structs too; the validator leaves those out rather than
 * refusing the whole answer (update-validator.ts), and this module builds
 * the part that is applied. Structs are left out per client id, or from a
 * clock on, never one by one: a client's structs form one run of clocks, and
 * a hole in it would leave the rest pending.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export interface DeleteRange {
  clock: number;
  len: number;
}

/**
 * The decoded update (`Y.decodeUpdate`) without the structs of `clients`,
 * without the structs of `cutAt`'s clients from the given clock on, and with
 * `deletes` as its delete set; v1 encoding.
 */
export function rewriteUpdate(
  structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>,
  clients: ReadonlySet<number>,
  deletes: ReadonlyMap<number, readonly DeleteRange[]>,
  cutAt: ReadonlyMap<number, number> = new Map(),
): Uint8Array {
  const byClient = new Map<number, Array<Y.Item | Y.GC | Y.Skip>>();
  for (const struct of structs) {
    if (clients.has(struct.id.client)) continue;
    const cut = cutAt.get(struct.id.client);
    if (cut !== undefined && struct.id.clock >= cut) continue;
    const list = byClient.get(struct.id.client) ?? [];
    list.push(struct);
    byClient.set(struct.id.client, list);
  }
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, list[0].id.clock);
    for (const struct of list) struct.write(encoder, 0);
  }
  const kept = [...deletes].filter(([, ranges]) => ranges.length > 0);
  encoding.writeVarUint(encoder.restEncoder, kept.length);
  for (const [client, ranges] of kept) {
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const range of ranges) {
      encoding.writeVarUint(encoder.restEncoder, range.clock);
      encoding.writeVarUint(encoder.restEncoder, range.len);
    }
  }
  return encoder.toUint8Array();
}

/** `ranges` without the clocks of `removed` (both sorted or not; the result is sorted). */
export function subtractRanges(ranges: readonly DeleteRange[], removed: readonly DeleteRange[]): DeleteRange[] {
  const cuts = [...removed].sort((a, b) => a.clock - b.clock);
  const result: DeleteRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.clock - b.clock)) {
    let start = range.clock;
    const end = range.clock + range.len;
    for (const cut of cuts) {
      const cutEnd = cut.clock + cut.len;
      if (cutEnd <= start || cut.clock >= end) continue;
      if (cut.clock > start) result.push({ clock: start, len: cut.clock - start });
      start = Math.max(start, cutEnd);
    }
    if (start < end) result.push({ clock: start, len: end - start });
  }
  return result;
}
