/**
 * The robot as a server-side participant, through the real relay: one reply
 * per message, replies to messages written offline, no double answers after
 * a restart, reminders, groups, and the language-model responder against a
 * fake endpoint on loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { messagesOf, type Message } from '../../shared/schema.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import type { SyncedClient } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';
import { robotConversationId } from './robot-account.js';

const test = useTestServer();

const repliesTo = (doc: Y.Doc, id: string) => [...messagesOf(doc).values()].filter((m) => m.author === ROBOT_USER_ID && m.replyTo === id);

async function replyTo(client: SyncedClient, message: Message): Promise<Message> {
  await waitFor(client.doc, () => repliesTo(client.doc, message.id).length > 0, 10_000, `a reply to "${message.text}"`);
  return repliesTo(client.doc, message.id)[0];
}

describe('the robot conversation', () => {
  it('exists for every new account, with a welcome', async () => {
    const ada = await createUser(test.server, 'Ada');
    const list = await api<Array<{ id: string; kind: string; title: string }>>(test.server, 'GET', '/api/conversations', {
      cookie: ada.cookie,
    });
    expect(list.body).toEqual([expect.objectContaining({ id: robotConversationId(ada.id), kind: 'robot', title: 'Happy Robot' })]);
    const chat = test.open(ada, convDocName(robotConversationId(ada.id)));
    await waitFor(chat.doc, () => messagesOf(chat.doc).size === 1, 10_000, 'the welcome');
    expect([...messagesOf(chat.doc).values()][0]).toMatchObject({ author: ROBOT_USER_ID, text: expect.stringContaining('Hi Ada!') });
  });

  it('answers each message exactly once', async () => {
    const ada = await createUser(test.server, 'Ada');
    const chat = test.open(ada, convDocName(robotConversationId(ada.id)));
    const first = writeMessage(chat.doc, ada.id, '2+2');
    expect((await replyTo(chat, first)).text).toBe('2+2 = 4');
    const second = writeMessage(chat.doc, ada.id, 'hello');
    expect((await replyTo(chat, second)).text).toContain('Hello Ada');
    await test.server.context.robot.participant.idle();
    expect(repliesTo(chat.doc, first.id)).toHaveLength(1);
    expect(repliesTo(chat.doc, second.id)).toHaveLength(1);
  });

  it('answers a message written offline once it syncs', async () => {
    const ada = await createUser(test.server, 'Ada');
    const offline = new Y.Doc();
    const question = writeMessage(offline, ada.id, '/calc 6*7');
    const chat = test.open(ada, convDocName(robotConversationId(ada.id)), offline);
    expect((await replyTo(chat, question)).text).toBe('6*7 = 42');
  });

  it('answers a message left unanswered by a crash, and never twice across restarts', async () => {
    const ada = await createUser(test.server, 'Ada');
    const docName = convDocName(robotConversationId(ada.id));
    const chat = test.open(ada, docName);
    await waitFor(chat.doc, () => messagesOf(chat.doc).size === 1, 10_000, 'the welcome');
    test.closeClients();

    // The message reached the store but the process died before the robot answered.
    const question = textMessage(ada.id, 'what is 9*9');
    await test.restart({}, async () => {
      const db = await Database.open(test.dataDir);
      const store = new LevelDocumentLog(db);
      const stored = await store.load(docName);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.update);
      const before = Y.encodeStateVector(doc);
      messagesOf(doc).set(question.id, question);
      await store.append(docName, { updates: [Y.encodeStateAsUpdate(doc, before)], clientOwners: [] }, stored.nextClock);
      await db.close();
    });
    const again = test.open(ada, docName);
    expect((await replyTo(again, question)).text).toBe('9*9 = 81');
    await test.server.context.robot.participant.idle();
    test.closeClients();

    await test.restart();
    const third = test.open(ada, docName);
    const marker = writeMessage(third.doc, ada.id, 'thanks');
    await replyTo(third, marker);
    await test.server.context.robot.participant.idle();
    expect(repliesTo(third.doc, question.id)).toHaveLength(1);
  });

  it('delivers a reminder as a message when it is due', async () => {
    const ada = await createUser(test.server, 'Ada');
    const chat = test.open(ada, convDocName(robotConversationId(ada.id)));
    const ask = writeMessage(chat.doc, ada.id, 'remind me in 1 second to stretch');
    expect((await replyTo(chat, ask)).text).toBe("OK, I'll remind you in 1 second: stretch");
    await waitFor(
      chat.doc,
      () => [...messagesOf(chat.doc).values()].some((m) => m.text === '⏰ Reminder: stretch'),
      10_000,
      'the reminder',
    );
    // The delivery forgets the reminder after writing the message: stopping the scheduler waits for that run to end.
    await test.server.context.robot.reminders.stop();
    expect(await test.server.context.db.reminders.keys().all()).toEqual([]);
  });
});

describe('the robot in groups', () => {
  it('answers only when mentioned', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    await befriend(test.server, ada, bob);
    const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'Team', memberIds: [bob.id, ROBOT_USER_ID] },
    });
    expect(created.status).toBe(201);
    const chat = test.open(ada, convDocName(created.body.id));
    const plain = writeMessage(chat.doc, ada.id, 'what is 1+1');
    const mention = writeMessage(chat.doc, ada.id, '@robot what is 2+3');
    expect((await replyTo(chat, mention)).text).toBe('2+3 = 5');
    await test.server.context.robot.participant.idle();
    expect(repliesTo(chat.doc, plain.id)).toHaveLength(0);
  });
});

describe('the language-model responder', () => {
  let fake: http.Server;
  let requests: Array<{ headers: http.IncomingHttpHeaders; body: { model: string; messages: Array<{ role: string; content: string }> } }>;
  let status: number;

  beforeEach(async () => {
    requests = [];
    status = 200;
    fake = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          status === 200
            ? JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'The model says hi.' } }] })
            : '{"error":"down"}',
        );
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    await test.restart({
      robot: {
        llmUrl: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`,
        llmKey: 'test-key',
        llmModel: 'tiny',
        llmTimeoutMs: 2000,
        repliesPerMinute: 20,
      },
    });
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  });

  it('asks the endpoint with the conversation as context, and keeps commands built in', async () => {
    const ada = await createUser(test.server, 'Ada');
    const chat = test.open(ada, convDocName(robotConversationId(ada.id)));
    const question = writeMessage(chat.doc, ada.id, 'Tell me about Yjs');
    expect((await replyTo(chat, question)).text).toBe('The model says hi.');
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.authorization).toBe('Bearer test-key');
    expect(requests[0].body.model).toBe('tiny');
    expect(requests[0].body.messages.at(-1)).toEqual({ role: 'user', content: 'Ada: Tell me about Yjs' });
    expect(requests[0].body.messages.some((m) => m.role === 'assistant' && m.content.includes("I'm Happy Robot"))).toBe(true);

    const sum = writeMessage(chat.doc, ada.id, '3*3');
    expect((await replyTo(chat, sum)).text).toBe('3*3 = 9');
    expect(requests).toHaveLength(1);
  });

  it('falls back to the built-in answers when the endpoint fails', async () => {
    status = 503;
    const ada = await createUser(test.server, 'Ada');
    const chat = test.open(ada, convDocName(robotConversationId(ada.id)));
    const question = writeMessage(chat.doc, ada.id, 'hello robot');
    expect((await replyTo(chat, question)).text).toContain('Hello Ada');
    expect(requests).toHaveLength(1);
  });
});
