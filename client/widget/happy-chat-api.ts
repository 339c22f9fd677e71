/**
 * `window.HappyChat`: the host page's handle on the widget. Calls made
 * before the element is mounted wait for it; listeners added with `on`
 * hear every widget event (the element also dispatches them as DOM events).
 */

export type WidgetEventName = 'ready' | 'open' | 'close' | 'message' | 'unread';
export type WidgetListener = (detail: unknown) => void;

/** What the API drives: the `<happy-chat-widget>` element. */
export interface WidgetControls {
  open(): void;
  close(): void;
  toggle(): void;
  setUser(user: unknown): void;
  reset(): void;
}

type Call = (widget: WidgetControls) => void;

/** Calls queued by the snippet before the loader ran: `(window.HappyChat ||= {q: []}).q.push(['open'])`. */
export type QueuedCall = [method: string, ...args: unknown[]];

const METHODS = ['open', 'close', 'toggle', 'setUser', 'reset', 'on', 'off'] as const;

export class HappyChatApi {
  private widget: WidgetControls | null = null;
  private readonly waiting: Call[] = [];
  private readonly listeners = new Map<string, Set<WidgetListener>>();

  open(): void {
    this.call((widget) => widget.open());
  }

  close(): void {
    this.call((widget) => widget.close());
  }

  toggle(): void {
    this.call((widget) => widget.toggle());
  }

  /**
   * `{id, name?, email?, hash?}`: `hash` is made by the site's backend, hex
   * HMAC-SHA256 with the site secret of `"v2\n" + id + "\n" + name + "\n" + email`
   * (docs/EMBEDDING.md); pass exactly the signed name and email.
   */
  setUser(user: unknown): void {
    this.call((widget) => widget.setUser(user));
  }

  /** The host's user signed out: the visitor's identity and local copy are forgotten. */
  reset(): void {
    this.call((widget) => widget.reset());
  }

  /** Listens to a widget event; returns a function that stops listening. */
  on(name: WidgetEventName, listener: WidgetListener): () => void {
    if (typeof listener !== 'function') return () => {};
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => this.off(name, listener);
  }

  off(name: WidgetEventName, listener: WidgetListener): void {
    this.listeners.get(name)?.delete(listener);
  }

  /** The element the API drives from now on (the one most recently connected). */
  attach(widget: WidgetControls): void {
    this.widget = widget;
    for (const call of this.waiting.splice(0)) call(widget);
  }

  detach(widget: WidgetControls): void {
    if (this.widget === widget) this.widget = null;
  }

  /** Tells the host page's listeners; one failing listener does not stop the others or the widget. */
  emit(name: WidgetEventName, detail?: unknown): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        listener(detail);
      } catch (error) {
        console.error(`HappyChat: a "${name}" listener failed`, error);
      }
    }
  }

  /** Runs the calls a snippet queued before the loader arrived; unknown methods are skipped. */
  replay(queue: unknown): void {
    if (!Array.isArray(queue)) return;
    for (const entry of queue as unknown[]) {
      if (!Array.isArray(entry)) continue;
      const [method, ...args] = entry as QueuedCall;
      if (!(METHODS as readonly string[]).includes(method)) continue;
      (this[method as (typeof METHODS)[number]] as (...a: unknown[]) => unknown)(...args);
    }
  }

  private call(call: Call): void {
    if (this.widget) call(this.widget);
    else this.waiting.push(call);
  }
}

/** The page's one API object (`window.HappyChat`). */
export const happyChat = new HappyChatApi();
