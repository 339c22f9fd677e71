/**
 * EditedMentions on a real Y.Doc: what an edit newly mentions is noted,
 * whatever else the same change holds; a change that replaces no value (new
 * messages only, the relay's every message) notes nothing. The observer
 * skips Yjs's `changes` when no changed key replaced a value (issue 14), so
 * these hold that skip to the full computation's answers.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf, metaOf } from '../../shared/schema.js';
import { numbersElements, numbersOf } from '../../shared/seq-index.js';
import { editText, writeMessage } from '../../shared/testing/text-message.js';
import { EditedMentions } from './edited-mentions.js';

function groupOf(): Y.Doc {
  const doc = new Y.Doc();
  metaOf(doc).set('kind', 'group');
  metaOf(doc).set('members', {
    ada: { name: 'Ada', role: 'owner' },
    bob: { name: 'Bob', role: 'member' },
    cy: { name: 'Cy', role: 'member' },
  });
  return doc;
}

function numbered(doc: Y.Doc, ...ids: string[]): void {
  numbersOf(doc).push(numbersElements(ids.map((id, i) => [id, i + 1] as const)));
}

describe('EditedMentions', () => {
  it('notes nothing for new messages, even ones that mention someone', () => {
    const doc = groupOf();
    const edits = new EditedMentions(doc);
    doc.transact(() => {
      writeMessage(doc, 'ada', 'hi @Bob');
      writeMessage(doc, 'ada', 'and @Cy');
    });
    writeMessage(doc, 'bob', 'hello @Ada');
    expect(edits.take()).toEqual([]);
    edits.stop();
  });

  it('notes the member an edit of a numbered message newly mentions, also beside a new message in the same change', () => {
    const doc = groupOf();
    const hi = writeMessage(doc, 'ada', 'hi @Cy');
    numbered(doc, hi.id);
    const edits = new EditedMentions(doc);
    doc.transact(() => {
      writeMessage(doc, 'ada', 'a new one for @Bob');
      editText(doc, hi.id, 'hi @Cy and @Bob');
    });
    expect(edits.take()).toEqual([{ messageId: hi.id, seq: 1, added: ['bob'] }]);
    expect(edits.take()).toEqual([]);
    edits.stop();
  });

  it('notes an edit that arrives as a remote update, as the relay applies it', () => {
    const server = groupOf();
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const hi = writeMessage(client, 'ada', 'hi');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    numbered(server, hi.id);
    const edits = new EditedMentions(server);
    const before = Y.encodeStateVector(client);
    editText(client, hi.id, 'hi @Bob');
    writeMessage(client, 'ada', 'more @Cy');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client, before));
    expect(edits.take()).toEqual([{ messageId: hi.id, seq: 1, added: ['bob'] }]);
    // Deleting a message replaces no value: nothing to note.
    messagesOf(server).delete(hi.id);
    expect(edits.take()).toEqual([]);
    edits.stop();
  });
});
