/**
 * My changes to messages that already exist, made from a host: edit and
 * delete my own, toggle my reactions, move my read marker. The rules
 * (`data/messages/message-edits.ts`, the relay's own checks) load when first
 * needed. A change that cannot be made is reported with the reason; the host
 * decides how to show it. It has no lifecycle of its own (so it is no Lit
 * controller): the host calls it, and `ReadMarkerController` says when to
 * mark read.
 */
import { msg } from '@lit/localize';
import type * as Y from 'yjs';
import type { EditResult } from '../data/messages/message-edits.js';
import type { OpenSegment } from '../data/session/conversation-segments.js';
import type { DocConnection } from '../data/sync/doc-connection.js';

type MessageEdits = typeof import('../data/messages/message-edits.js');
let editsModule: Promise<MessageEdits> | undefined;
function loadEdits(): Promise<MessageEdits> {
  editsModule ??= import('../data/messages/message-edits.js');
  return editsModule;
}

interface Target {
  /** The conversation's newest segment: my read marker goes there (docs/SEGMENTS.md). */
  connection: DocConnection | undefined;
  /** The segment whose document holds a message: its edits, deletion and reactions go there. */
  holderOf: (messageId: string) => OpenSegment | undefined;
  /** The highest number the list shows (over its segments). */
  highest: () => number;
  /** A change went into a segment's document. */
  changed: (holder: OpenSegment) => void;
  meId: string | undefined;
  /** Whether this device may write into the conversation now. */
  writable: boolean;
  /** Why the last change failed ('' when it was made). */
  report: (error: string) => void;
}

export class MessageChanges {
  constructor(private readonly target: () => Target) {}

  edit(id: string, text: string): Promise<void> {
    return this.change(id, (edits, doc, meId) => edits.editMessage(doc, meId, id, text));
  }

  delete(id: string): Promise<void> {
    return this.change(id, (edits, doc, meId) => edits.deleteMessage(doc, meId, id));
  }

  toggleReaction(id: string, emoji: string): Promise<void> {
    return this.change(id, (edits, doc, meId) => edits.toggleReaction(doc, meId, id, emoji));
  }

  /** Moves my read marker to the newest message (the host knows when I have seen it). */
  async markRead(): Promise<void> {
    const { connection, meId } = this.target();
    if (!connection || !meId) return;
    // The newest now, when I was seen reading: messages that arrive while the edit rules load are not seen yet
    // (a replica's first sync brings the unread ones, and the list then moves up to the first of them).
    // Over every segment shown: the newest segment, just opened, may hold no number yet.
    const upTo = this.target().highest();
    const edits = await loadEdits();
    // Another conversation may have opened meanwhile: mark only the one that was seen.
    const now = this.target();
    if (now.connection === connection && now.writable) edits.markReadUpTo(connection.doc, meId, upTo);
  }

  /** Runs an edit of the document holding message `id`; reports why when it cannot be made. */
  private async change(id: string, action: (edits: MessageEdits, doc: Y.Doc, meId: string) => EditResult): Promise<void> {
    const edits = await loadEdits();
    const { holderOf, meId, writable, report, changed } = this.target();
    const holder = holderOf(id);
    if (!holder || !meId) return;
    if (!writable) {
      report(msg('This conversation cannot be changed from this device right now.'));
      return;
    }
    const result = action(edits, holder.connection.doc, meId);
    if (result.ok) changed(holder);
    report(result.ok ? '' : result.reason);
  }
}
