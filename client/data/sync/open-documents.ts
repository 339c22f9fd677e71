/**
 * Every document the app has open, each opened once. It reconnects them all
 * promptly when the network or the tab comes back, and tears them down (and,
 * on sign-out, deletes their local copies) together.
 */
import { parseDocName } from '../../../shared/doc-names.js';
import { DocConnection, type DocConnectionOptions } from './doc-connection.js';
import { deleteDatabase } from './local-data.js';
import type { MuxProvider } from './mux-provider.js';

/** The window events the open documents react to; a fake in tests. */
export interface NetworkSignals {
  addEventListener(type: 'online' | 'offline' | 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline' | 'visibilitychange', listener: () => void): void;
  isVisible(): boolean;
}

export const browserSignals: NetworkSignals = {
  addEventListener: (type, listener) => (type === 'visibilitychange' ? document : window).addEventListener(type, listener),
  removeEventListener: (type, listener) => (type === 'visibilitychange' ? document : window).removeEventListener(type, listener),
  isVisible: () => document.visibilityState === 'visible',
};

export class OpenDocuments extends EventTarget {
  private readonly connections = new Map<string, DocConnection>();
  private readonly onChange = () => this.dispatchEvent(new Event('change'));
  private readonly onOnline = () => this.reconnectNow();
  private readonly onOffline = () => {
    for (const connection of this.connections.values()) connection.dropSocket();
    this.onChange();
  };
  private readonly onVisibility = () => {
    if (this.signals.isVisible()) this.reconnectNow();
  };

  constructor(
    private readonly options: DocConnectionOptions,
    private readonly signals: NetworkSignals = browserSignals,
  ) {
    super();
    signals.addEventListener('online', this.onOnline);
    signals.addEventListener('offline', this.onOffline);
    signals.addEventListener('visibilitychange', this.onVisibility);
  }

  /** The open connection for `name`, opening it on first use (`connectAtOnce`: this device never held it, see DocConnectionOptions). */
  open(name: string, { connectAtOnce = false }: { connectAtOnce?: boolean } = {}): DocConnection {
    let connection = this.connections.get(name);
    if (!connection) {
      // We write into conversations only: a refusal there means our replica holds a change the relay will never take.
      const stopOnRefusal = parseDocName(name)?.kind === 'conv';
      connection = new DocConnection(name, { stopOnRefusal, connectAtOnce, ...this.options });
      connection.addEventListener('change', this.onChange);
      this.connections.set(name, connection);
      this.onChange();
    }
    return connection;
  }

  /** The tab's shared socket, when the documents go over one (shared conversation heads ride on it too). */
  get mux(): MuxProvider | undefined {
    return this.options.mux;
  }

  get(name: string): DocConnection | undefined {
    return this.connections.get(name);
  }

  all(): DocConnection[] {
    return [...this.connections.values()];
  }

  reconnectNow(): void {
    for (const connection of this.connections.values()) connection.reconnectNow();
    // The shared socket's own backoff is cut short too, once its documents wait for it again.
    this.options.mux?.reconnectNow();
  }

  /** Lets connections the relay stopped (e.g. session ended) try again. */
  resumeAll(): void {
    for (const connection of this.connections.values()) connection.resume();
  }

  /** Stops every connection until `resumeAll` (see `DocConnection.hold`). */
  holdAll(code: number, reason = ''): void {
    for (const connection of this.connections.values()) connection.hold(code, reason);
  }

  /**
   * Closes one document and deletes its local copy. The closed connection
   * stays registered until `forget`, so nothing reopens the old copy while it
   * is being deleted.
   */
  async closeAndClear(name: string): Promise<void> {
    const connection = this.connections.get(name);
    if (connection) await connection.destroyAndClear();
    else await deleteDatabase(name);
  }

  /**
   * Closes one document and keeps its local copy (background sync is done
   * with it): its subscription ends, so the relay may unload it; the next
   * `open` loads the copy again.
   */
  async close(name: string): Promise<void> {
    const connection = this.connections.get(name);
    if (!connection) return;
    connection.removeEventListener('change', this.onChange);
    this.connections.delete(name);
    this.onChange();
    await connection.destroy();
  }

  /** Unregisters a document closed by `closeAndClear`; the next `open` starts from nothing. */
  forget(name: string): void {
    const connection = this.connections.get(name);
    if (!connection) return;
    connection.removeEventListener('change', this.onChange);
    this.connections.delete(name);
    this.onChange();
  }

  /** Closes everything; local copies stay. */
  async destroy(): Promise<void> {
    this.stopListening();
    const all = this.all();
    this.connections.clear();
    await Promise.all(all.map((connection) => connection.destroy()));
  }

  /** Closes everything and deletes the local copies of these and of `alsoDelete`. */
  async destroyAndClear(alsoDelete: Iterable<string> = []): Promise<void> {
    this.stopListening();
    const all = this.all();
    this.connections.clear();
    await Promise.all(all.map((connection) => connection.destroyAndClear()));
    const open = new Set(all.map((connection) => connection.name));
    await Promise.all([...new Set(alsoDelete)].filter((name) => !open.has(name)).map(deleteDatabase));
  }

  private stopListening(): void {
    this.signals.removeEventListener('online', this.onOnline);
    this.signals.removeEventListener('offline', this.onOffline);
    this.signals.removeEventListener('visibilitychange', this.onVisibility);
    for (const connection of this.connections.values()) connection.removeEventListener('change', this.onChange);
  }
}
