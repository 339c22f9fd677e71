/**
 * Copy, forward and pin (issue 15), for the open conversation's view: the
 * list's `message-copy`, `message-forward` and `message-pin` events, the
 * pinned bar over the list, the "Forward to…" dialog and the short note
 * that says what happened. Pins come from `conv/<id>` through a
 * PinsController; forwarding writes through the session like any message
 * (data/messages/forwarding.ts). The view renders `renderPinnedBar()` and
 * `renderOverlays()` where they belong.
 */
import { msg, str } from '@lit/localize';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { mayPin } from '../../shared/pin-rights.js';
import type { Message } from '../../shared/schema.js';
import type { MessageActionDetail } from '../components/chat-message-list.js';
import type { ForwardConfirmDetail, ForwardTarget } from '../components/forward-dialog.js';
import { copyText } from '../components/copy-text.js';
import type { PinDetail } from '../components/pinned-bar.js';
import { latestPin, togglePin } from '../data/messages/pins.js';
import type { ChatSession } from '../data/session/chat-session.js';
import type { DocConnection } from '../data/sync/doc-connection.js';
import { PinsController } from './pins-controller.js';
import '../components/chat-toast.js';
import '../components/pinned-bar.js';

/** How long "Copied" and the like stay. */
const NOTE_MS = 2500;

interface Target {
  session: ChatSession | undefined;
  /** `conv/<id>` of the open conversation: the pins are there. */
  root: DocConnection | undefined;
  /** The message the list shows under this id, wherever its segment is. */
  messageOf: (id: string) => Message | undefined;
  /** The conversations one may forward to, named as the list names them. */
  targets: () => ForwardTarget[];
  nameOf: (userId: string) => string;
  /** Whether this device may write into the conversation now. */
  writable: boolean;
  report: (error: string) => void;
  scrollTo: (messageId: string) => void;
}

export class MessageToolsController implements ReactiveController {
  private readonly pins: PinsController;
  /** The message the "Forward to…" dialog is open for. */
  private forwarding: Message | undefined;
  private note = '';
  private noteTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    this.pins = new PinsController(host, () => target().root?.doc);
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.noteTimer);
  }

  /** Ids of the pinned messages, for the list. */
  pinned(): ReadonlySet<string> {
    return this.pins.pinned();
  }

  /** Another conversation opened: nothing of this one stays open. */
  reset(): void {
    this.forwarding = undefined;
    this.show('');
  }

  readonly copy = async (event: CustomEvent<MessageActionDetail>): Promise<void> => {
    const text = this.target().messageOf(event.detail.id)?.text ?? '';
    if (!text) return;
    if (await copyText(text)) this.show(msg('Copied'));
    else this.target().report(msg('This browser did not let the app copy. Select the text and copy it instead.'));
  };

  readonly forward = async (event: CustomEvent<MessageActionDetail>): Promise<void> => {
    const message = this.target().messageOf(event.detail.id);
    if (!message) return;
    await import('../components/forward-dialog.js');
    this.forwarding = message;
    this.host.requestUpdate();
  };

  readonly togglePin = (event: CustomEvent<MessageActionDetail | PinDetail>): void => {
    const { root, session, writable, report } = this.target();
    if (!root || !session) return;
    if (!writable) {
      report(msg('This conversation cannot be changed from this device right now.'));
      return;
    }
    const wasPinned = this.pins.pinned().has(event.detail.id);
    const result = togglePin(root.doc, session.me.id, event.detail.id);
    if (!result.ok) report(result.reason);
    else this.show(wasPinned ? msg('Unpinned') : msg('Pinned'));
  };

  /** Whether I may pin and unpin in this conversation (a group may keep it to its admins, shared/pin-rights.ts). */
  mayPin(): boolean {
    const { root, session } = this.target();
    return !root || !session || mayPin(root.doc, session.me.id);
  }

  renderPinnedBar() {
    const { root, messageOf, nameOf, writable } = this.target();
    const shown = root ? latestPin(root.doc, messageOf) : null;
    if (!shown) return nothing;
    return html`<pinned-bar .pin=${shown} .author=${nameOf(shown.message.author)} .canUnpin=${writable && this.mayPin()}
      @pin-open=${(event: CustomEvent<PinDetail>) => this.target().scrollTo(event.detail.id)} @pin-remove=${this.togglePin}></pinned-bar>`;
  }

  renderOverlays() {
    return html`<chat-toast .text=${this.note}></chat-toast>
      ${
        this.forwarding
          ? html`<forward-dialog .targets=${this.target().targets()} @forward-confirm=${this.forwardTo}
            @forward-cancel=${this.closeForward}></forward-dialog>`
          : nothing
      }`;
  }

  private readonly closeForward = () => {
    this.forwarding = undefined;
    this.host.requestUpdate();
  };

  private readonly forwardTo = async (event: CustomEvent<ForwardConfirmDetail>): Promise<void> => {
    const original = this.forwarding;
    const { session, report } = this.target();
    if (!original || !session) return;
    const targets = event.detail.conversationIds;
    const { forwardMessage } = await import('../data/messages/forwarding.js');
    const failures = await forwardMessage(original, session.me.id, targets, (id, message) => session.writeMessage(id, message));
    const sent = targets.length - failures.size;
    const [firstFailure] = failures.values();
    if (firstFailure) report(firstFailure);
    if (sent > 0) this.show(sent === 1 ? msg('Forwarded') : msg(str`Forwarded to ${sent} conversations`));
  };

  private show(note: string): void {
    clearTimeout(this.noteTimer);
    this.note = note;
    if (note) this.noteTimer = setTimeout(() => this.show(''), NOTE_MS);
    this.host.requestUpdate();
  }
}
