/**
 * The little of `localStorage` the app uses, as an interface: the browser's
 * in the app, a Map-backed fake in tests (`client/testing/memory-storage.ts`).
 * Who last signed in, pending and set-aside messages, recent emoji and the
 * widget's visitor all keep their state through it.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
