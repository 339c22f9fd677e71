/**
 * The heap in use after a full garbage collection. A test's bound on heap
 * growth compares live objects, not what the collector has not yet freed:
 * without a collection the fuzz test's growth ranged 1–138 MB by seed and
 * collection timing against its 150 MB bound.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export function heapUsedAfterGc(): number {
  // `gc` exists only in contexts made after the flag is set.
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  collect();
  return process.memoryUsage().heapUsed;
}
