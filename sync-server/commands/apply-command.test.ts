/**
 * Every command is idempotent by itself (docs/SCALING.md, "Commands"): a
 * command applied again, as after an owner died before answering, writes
 * nothing at all (no Yjs update, so the document does not grow), and one
 * command per kind leaves what it says. Also: a command survives its trip
 * as JSON (`parseCommand`), and what is not a command is refused.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import * as schema from '../../shared/schema.js';
import { applyToDocument, type DocumentEffect } from './apply-command.js';
import { parseCommand, targetOf } from './document-command.js';

const question: schema.Message = { id: 'q1', author: 'ada', kind: 'text', text: 'what time is it?', createdAt: 1 };
const answer = { id: 'a1', author: ROBOT_USER_ID, kind: 'text' as const, text: 'noon', createdAt: 2, replyTo: 'q1' };
const summary = { id: 'g1', kind: 'group' as const, title: 'Climbing', createdAt: 1 };
const person = { id: 'bob', name: 'Bob' };

/** One command of each kind that applies as it is, with what it must leave in its document. */
const cases: Array<{ command: DocumentEffect; check: (doc: Y.Doc) => void }> = [
  {
    command: {
      kind: 'conversation-meta',
      conversationId: 'g1',
      meta: { kind: 'group', members: { ada: { name: 'Ada', role: 'owner' } }, title: 'Climbing' },
    },
    check: (doc) => {
      expect(schema.membersOf(doc)).toEqual({ ada: { name: 'Ada', role: 'owner' } });
      // Bob was a member in the document before: he is a former member now.
      expect(schema.formerMembersOf(doc)).toEqual({ bob: { name: 'Bob', role: 'member' } });
      expect(schema.metaOf(doc).get('title')).toBe('Climbing');
    },
  },
  {
    command: { kind: 'former-members', conversationId: 'g1', found: { cy: { name: 'Cy', role: 'member' } } },
    check: (doc) => expect(schema.formerMembersOf(doc).cy).toEqual({ name: 'Cy', role: 'member' }),
  },
  {
    command: { kind: 'segment-meta', docName: 'conv/g1~1', meta: { kind: 'group', title: 'Climbing' } },
    check: (doc) => expect(schema.metaOf(doc).toJSON()).toEqual({ kind: 'group', title: 'Climbing' }),
  },
  {
    command: { kind: 'put-message', docName: 'conv/g1', message: question },
    check: (doc) => expect(schema.messagesOf(doc).get('q1')).toEqual(question),
  },
  {
    command: { kind: 'robot-reply', docName: 'conv/g1', message: answer },
    check: (doc) => expect(schema.messagesOf(doc).get('a1')).toEqual(answer),
  },
  {
    command: { kind: 'segment-opened', conversationId: 'g1', segment: 1, entry: { firstSeq: 11, openedAt: 5 } },
    check: (doc) => expect(schema.segmentsOf(doc).get('1')).toEqual({ firstSeq: 11, openedAt: 5 }),
  },
  {
    command: { kind: 'segment-reads', conversationId: 'g1', segment: 1, reads: { ada: 7 } },
    check: (doc) => expect(schema.readsOf(doc).get('ada')).toBe(7),
  },
  {
    command: { kind: 'list-entry', userId: 'ada', summary },
    check: (doc) => expect(schema.conversationsOf(doc).get('g1')).toEqual(summary),
  },
  {
    command: { kind: 'list-ended', userId: 'ada', conversationId: 'g0', ended: 'removed' },
    check: (doc) => expect(schema.conversationsOf(doc).get('g0')?.ended).toBe('removed'),
  },
  {
    command: { kind: 'list-remove', userId: 'ada', conversationId: 'gone' },
    check: (doc) => expect(schema.conversationsOf(doc).has('gone')).toBe(false),
  },
  {
    command: { kind: 'friend-put', userId: 'ada', entry: { ...person, since: 3, conversationId: 'd1' } },
    check: (doc) => expect(schema.friendsOf(doc).get('bob')?.since).toBe(3),
  },
  {
    command: { kind: 'friend-remove', userId: 'ada', friendId: 'cy' },
    check: (doc) => expect(schema.friendsOf(doc).has('cy')).toBe(false),
  },
  {
    command: { kind: 'request-put', userId: 'ada', entry: { id: 'r1', direction: 'incoming', person, note: 'hi', createdAt: 4 } },
    check: (doc) => expect(schema.requestsOf(doc).get('r1')?.note).toBe('hi'),
  },
  {
    command: { kind: 'request-remove', userId: 'ada', requestId: 'r0' },
    check: (doc) => expect(schema.requestsOf(doc).has('r0')).toBe(false),
  },
  {
    command: { kind: 'profile', userId: 'ada', profile: { id: 'ada', name: 'Ada', email: 'ada@example.com' } },
    check: (doc) => expect(schema.profileOf(doc).toJSON()).toEqual({ id: 'ada', name: 'Ada', email: 'ada@example.com' }),
  },
  {
    command: {
      kind: 'head',
      userId: 'ada',
      conversationId: 'g1',
      head: { seq: 3, at: 9, author: 'bob', kind: 'text', preview: 'hi', readSeq: 1 },
    },
    check: (doc) => expect(schema.headsOf(doc).get('g1')?.seq).toBe(3),
  },
];

/** A document with something in every place the commands change, so that updates and deletions have work to do. */
function seeded(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    schema.metaOf(doc).set('members', { ada: { name: 'Ada', role: 'owner' }, bob: { name: 'Bob', role: 'member' } });
    schema.metaOf(doc).set('notice', 'old');
    schema.conversationsOf(doc).set('g0', { id: 'g0', kind: 'group', title: 'Old', createdAt: 0 });
    schema.conversationsOf(doc).set('gone', { id: 'gone', kind: 'group', title: 'Gone', createdAt: 0 });
    schema.friendsOf(doc).set('cy', { id: 'cy', name: 'Cy', since: 1, conversationId: 'd2' });
    schema.requestsOf(doc).set('r0', { id: 'r0', direction: 'outgoing', person, note: '', createdAt: 0 });
    schema.profileOf(doc).set('bio', 'gone after the profile command');
  });
  return doc;
}

it.each(cases.map((c) => [c.command.kind, c] as const))(
  '%s: applied twice is applied once, and the second writes nothing',
  (_, { command, check }) => {
    const doc = seeded();
    applyToDocument(doc, command);
    check(doc);
    const before = Y.encodeStateAsUpdate(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    applyToDocument(doc, JSON.parse(JSON.stringify(command)));
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    check(doc);
  },
);

it('puts no second robot answer to a question that has one, whatever its id', () => {
  const doc = new Y.Doc();
  applyToDocument(doc, { kind: 'robot-reply', docName: 'conv/g1', message: answer });
  applyToDocument(doc, { kind: 'robot-reply', docName: 'conv/g1', message: { ...answer, id: 'a2', text: 'still noon' } });
  expect([...schema.messagesOf(doc).keys()]).toEqual(['a1']);
});

it('answers the authors no name covers after rewriting meta (the service names them next)', () => {
  const doc = new Y.Doc();
  schema.messagesOf(doc).set('m1', { id: 'm1', author: 'ghost', kind: 'text', text: 'hi', createdAt: 1 });
  schema.messagesOf(doc).set('m2', { id: 'm2', author: 'ada', kind: 'text', text: 'hi', createdAt: 2 });
  const outcome = applyToDocument(doc, {
    kind: 'conversation-meta',
    conversationId: 'g1',
    meta: { kind: 'group', members: { ada: { name: 'Ada', role: 'owner' } } },
  });
  expect(outcome.unnamedAuthors).toEqual(['ghost']);
});

it('parses a command as it travels (JSON) and refuses what is not one', () => {
  for (const { command } of cases) {
    const parsed = parseCommand(JSON.stringify(command));
    expect(parsed).toEqual(command);
    if (parsed) expect(targetOf(parsed)).toBe(targetOf(command));
  }
  expect(parseCommand('not json')).toBeNull();
  expect(parseCommand('null')).toBeNull();
  expect(parseCommand(JSON.stringify({ kind: 'drop-everything', userId: 'ada' }))).toBeNull();
  // A known kind naming no real document.
  expect(parseCommand(JSON.stringify({ kind: 'put-message', docName: '../etc', message: question }))).toBeNull();
});
