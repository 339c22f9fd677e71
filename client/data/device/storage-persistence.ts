/**
 * Persistent storage for this device's history: by default browsers keep
 * IndexedDB (messages, pictures, what waits to be sent) only "best effort":
 * they may clear it when space runs low, and Safari clears a site's storage
 * after 7 days without a visit unless the app is installed. Asking for
 * persistence (`navigator.storage.persist()`) is done when the person chooses
 * to keep history offline and when they install the app; what the browser
 * granted is shown in the settings (storage-settings.ts).
 */

/** `persisted`: kept until the person clears it; `best-effort`: the browser may clear it; `unsupported`: no way to ask. */
export type PersistenceState = 'persisted' | 'best-effort' | 'unsupported';

function storageManager(): StorageManager | undefined {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.persist === 'function' ? navigator.storage : undefined;
}

/** What the browser promises today, without asking. */
export function persistenceState(): Promise<PersistenceState> {
  return askStorage((storage) => storage.persisted(), 'unsupported');
}

/**
 * Asks the browser to keep this device's storage. Chromium decides at once
 * (engagement, installation), Firefox asks the person with a prompt (so this
 * can take as long as they do), WebKitGTK has no such call.
 */
export function requestPersistence(): Promise<PersistenceState> {
  return askStorage((storage) => storage.persist(), 'best-effort');
}

/** The state the browser's answer to `ask` means; `onError` when it throws, 'unsupported' where there is no storage manager. */
async function askStorage(ask: (storage: StorageManager) => Promise<boolean>, onError: PersistenceState): Promise<PersistenceState> {
  const storage = storageManager();
  if (!storage) return 'unsupported';
  try {
    return (await ask(storage)) ? 'persisted' : 'best-effort';
  } catch {
    return onError;
  }
}

/** Installing the app is the person saying "keep this": ask then, and at the start of an installed app that is not yet persisted. */
export function askForPersistenceWhenInstalled(target: Window = window): void {
  target.addEventListener('appinstalled', () => void requestPersistence());
  if (target.matchMedia('(display-mode: standalone)').matches) {
    void persistenceState().then((state) => (state === 'best-effort' ? requestPersistence() : state));
  }
}
