/**
 * A part of the app loaded on first use, outside the app shell (docs/CLIENT.md):
 * every caller shares one import, and a failed one (offline before the service
 * worker cached it) is tried again on the next call.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
