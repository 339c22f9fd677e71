/**
 * Brings a conversation's pinned messages (`pins` of `conv/<id>`,
 * data/messages/pins.ts) into a component: it re-renders when a pin is
 * added or removed, here or on another member's device.
 */
import type { ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import { metaOf, pinsOf } from '../../shared/schema.js';
import { pinnedIds } from '../data/messages/pins.js';
import { FollowingController } from './following-controller.js';

export class PinsController extends FollowingController<Y.Doc> {
  private ids: ReadonlySet<string> = new Set();
  private readonly onPins = () => {
    if (this.source) this.ids = pinnedIds(this.source);
    this.host.requestUpdate();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Y.Doc | undefined,
  ) {
    super(host);
    host.addController(this);
  }

  /** The document the pins are in (undefined before a conversation is open). */
  get doc(): Y.Doc | undefined {
    return this.source;
  }

  /** Ids of the pinned messages (a new set after each change, so the list sees it changed). */
  pinned(): ReadonlySet<string> {
    return this.ids;
  }

  protected resolve(): Y.Doc | undefined {
    return this.target();
  }

  // `meta` too: who may pin follows the group's setting and my role (shared/pin-rights.ts).
  protected attach(doc: Y.Doc): void {
    pinsOf(doc).observe(this.onPins);
    metaOf(doc).observe(this.onPins);
  }

  protected detach(doc: Y.Doc): void {
    pinsOf(doc).unobserve(this.onPins);
    metaOf(doc).unobserve(this.onPins);
  }

  protected override sourceChanged(): void {
    this.ids = this.source ? pinnedIds(this.source) : new Set();
  }
}
