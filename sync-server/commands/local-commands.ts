/**
 * Runs named commands (document-command.ts) on this relay's documents: in
 * one process this is all there is; in a cluster it is what the owner of a
 * document runs, for its own commands and for those other relays send it
 * (cluster/cluster-commands.ts). The change goes through the document's
 * `Room` inbox (`DocRegistry.change`), so it is validated, numbered and
 * stored before anyone sees it, like any other.
 *
 * Two commands first find their document, on the relay that owns
 * `conv/<id>` (where the segment list is): the newest history segment
 * (docs/SEGMENTS.md). When that is a later segment, the write into it is a
 * command of its own, run through `followUp`, which in a cluster takes it
 * to that segment's owner.
 */
import { convDocName } from '../../shared/doc-names.js';
import { metaOf } from '../../shared/schema.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import { applyToDocument, putMessageOnce } from './apply-command.js';
import { type CommandOutcome, type DocumentCommand, type DocumentCommands, targetOf } from './document-command.js';

export class LocalCommands implements DocumentCommands {
  private followUp: DocumentCommands = this;

  constructor(private readonly registry: DocRegistry) {}

  /** Where the write into a later segment goes (a cluster's router); this relay by default. */
  routeFollowUpsThrough(commands: DocumentCommands): void {
    this.followUp = commands;
  }

  run(command: DocumentCommand): Promise<CommandOutcome> {
    return this.execute(command);
  }

  /** Applies `command` here, loading (in a cluster: claiming) its document; throws `DocumentOwnedElsewhere` if another relay owns it. */
  async execute(command: DocumentCommand): Promise<CommandOutcome> {
    switch (command.kind) {
      case 'post-message': {
        const head = convDocName(command.conversationId);
        const newest = await this.registry.segments.newestDocName(command.conversationId);
        if (newest !== head) return this.followUp.run({ kind: 'put-message', docName: newest, message: command.message });
        await this.registry.change(head, (doc) => putMessageOnce(doc, command.message));
        return {};
      }
      case 'mirror-meta': {
        const newest = await this.registry.segments.newestDocName(command.conversationId);
        if (newest === convDocName(command.conversationId)) return {};
        const meta = await this.readMeta(command.conversationId);
        return this.followUp.run({ kind: 'segment-meta', docName: newest, meta });
      }
      default: {
        let outcome: CommandOutcome = {};
        await this.registry.change(targetOf(command), (doc) => {
          outcome = applyToDocument(doc, command);
        });
        return outcome;
      }
    }
  }

  private async readMeta(conversationId: string): Promise<Record<string, unknown>> {
    const room = await this.registry.acquire(convDocName(conversationId));
    try {
      return metaOf(room.doc).toJSON();
    } finally {
      this.registry.release(room);
    }
  }
}
