/**
 * A wait with a bound: what reads this device's local copies (a document's
 * IndexedDB, the stored conversation heads) uses it so that an IndexedDB
 * that never answers cannot hide the app.
 */

/** Resolves when `work` settles or after `timeoutMs`, whichever is first; never rejects (a failure is the caller's to log in `work`). */
export function settledWithin(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  const done = work.then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([done, late]).then(() => clearTimeout(timer));
}
