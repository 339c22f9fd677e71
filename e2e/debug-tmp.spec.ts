import { expect, test } from '@playwright/test';
import { befriend, personInNewContext, send, startDirectChat } from './people.js';
test('debug', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  await send(alice.page, 'before');
  alice.page.on('websocket', (ws) => {
    console.log('ws open', ws.url());
    ws.on('framesent', (f) => console.log('sent', ws.url().slice(-20), typeof f.payload === 'string' ? f.payload : f.payload.length));
    ws.on('close', () => console.log('ws close', ws.url().slice(-20)));
  });
  await alice.context.setOffline(true);
  await send(alice.page, 'worth sending');
  await alice.page.evaluate(() => {
    const home = document.querySelector('chat-app')?.shadowRoot?.querySelector('chat-home');
    const view = home?.shadowRoot?.querySelector('chat-view') as any;
    const doc = view.conversation.connection.doc;
    const members = doc.getMap('meta').get('members');
    const author = Object.keys(members).find((id) => members[id]?.name === 'Bob');
    const id = `${Date.now().toString(36).padStart(9, '0')}-abcdefabcdef`;
    doc.getMap('messages').set(id, { id, author, kind: 'text', text: 'forged', createdAt: Date.now() });
  });
  console.log('online');
  await alice.context.setOffline(false);
  await alice.page.waitForTimeout(3000);
  console.log(await alice.page.evaluate(() => {
    const home = document.querySelector('chat-app')?.shadowRoot?.querySelector('chat-home');
    const view = home?.shadowRoot?.querySelector('chat-view') as any;
    return JSON.stringify([view.conversation.connection.state, view.conversation.connection.doc.getMap('seq').toJSON()]);
  }));
});
