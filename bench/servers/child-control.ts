/**
 * The bench's side channel into a relay child process (IPC, not the relay's
 * sockets): "ready" with the URL once listening, a full GC on request so
 * that RSS is read after garbage is gone, and a clean exit. Every relay under test imports it
 * the same way, so the reference and ours are measured alike.
 */

export type ToChild = { type: 'gc' } | { type: 'exit' };
/** `gc-done` carries the V8 heap in use after the GC: steadier than RSS for a few MiB. */
export type FromChild = { type: 'ready'; url: string } | { type: 'gc-done'; heapUsed?: number };

/** Tells the bench the relay listens at `url`, and starts answering its requests. */
export function reportReady(url: string): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('a bench relay must be started by the bench (no IPC channel)');
  // Started with --expose-gc by the bench; without it "gc" is a no-op and RSS includes garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: ToChild) => {
    if (message.type === 'exit') process.exit(0); // a normal exit writes --cpu-prof profiles
    gc?.();
    send({ type: 'gc-done', heapUsed: process.memoryUsage().heapUsed } satisfies FromChild);
  });
  // The bench going away must take the relay with it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url } satisfies FromChild);
}
