/**
 * The lifecycle most of our controllers share: a host shows one outside
 * source (a session, a document, an awareness); which one can change
 * between renders, so before each render the controller looks again,
 * stops listening to the old source and starts on the new one, and lets go
 * of it when the host leaves the page.
 *
 * Subclasses say how to find the source (`resolve`) and how to listen to
 * it (`attach`/`detach`), and call `host.addController(this)` at the end of
 * their constructor: Lit may call `hostConnected` at once, and a subclass's
 * own fields (its listeners) exist only after `super()` returns.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export abstract class FollowingController<Source extends object> implements ReactiveController {
  /** The source listened to now; undefined while the host is away or there is none. */
  protected source: Source | undefined;
  private connected = false;

  constructor(protected readonly host: ReactiveControllerHost) {}

  /** The source the host wants now. */
  protected abstract resolve(): Source | undefined;
  protected abstract attach(source: Source): void;
  protected abstract detach(source: Source): void;
  /** Whether the host is on the page (between hostConnected and hostDisconnected). */
  protected get hostIsConnected(): boolean {
    return this.connected;
  }

  /** Called after the source changed (to clear caches); `source` is already the new one. */
  protected sourceChanged(): void {}

  hostConnected(): void {
    this.connected = true;
    this.follow();
  }

  /** Runs before each render: follow the host's current source. */
  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.switchTo(undefined);
  }

  private follow(): void {
    if (!this.connected) return;
    const next = this.resolve();
    if (next !== this.source) this.switchTo(next);
  }

  private switchTo(next: Source | undefined): void {
    if (next === this.source) return;
    if (this.source) this.detach(this.source);
    this.source = next;
    if (next) this.attach(next);
    this.sourceChanged();
  }
}

/**
 * A source that announces its changes as events (`change` for the session,
 * the unread tracker, the people directory): the host re-renders on each.
 * It registers itself with the host, so a subclass only says what it reads
 * from the source, and adds no field that `attach` needs (such a field would
 * not exist yet when Lit connects it).
 */
export class ChangeEventController<Source extends EventTarget> extends FollowingController<Source> {
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    host: ReactiveControllerHost,
    private readonly find: () => Source | undefined,
    private readonly eventName = 'change',
  ) {
    super(host);
    host.addController(this);
  }

  protected resolve(): Source | undefined {
    return this.find();
  }

  protected attach(source: Source): void {
    source.addEventListener(this.eventName, this.onChange);
  }

  protected detach(source: Source): void {
    source.removeEventListener(this.eventName, this.onChange);
  }
}

/** The part of the session a controller follows (its unread tracker, its people directory), none without a session. */
export function sessionPart<Session extends object, Part>(
  session: () => Session | undefined,
  partOf: (session: Session) => Part,
): () => Part | undefined {
  return () => {
    const current = session();
    return current ? partOf(current) : undefined;
  };
}
