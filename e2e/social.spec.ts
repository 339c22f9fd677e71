/**
 * Friends, remarks and groups through the UI, with three people in three
 * browsers (Ben on a 360 px phone): a friend request with a note, accepted
 * live; a chat; a private remark shown wherever Ben appears to Ann; a group
 * made from friends; an invite link a stranger joins by; removal (the
 * removed person's screen says so, read-only); unfriending (the direct chat
 * leaves both lists).
 */
import { expect, test, type Page } from '@playwright/test';
import { clickHeaderAction } from './chat-header.js';
import { messageTexts, send } from './chat-page.js';
import { befriend } from './direct-chat.js';
import { personInNewContext } from './people.js';

const conversation = (page: Page, title: string | RegExp) => page.getByTestId('conversation-item').filter({ hasText: title });

test('request, accept, chat, remark, group, invite link, removal, unfriend', async ({ browser }, testInfo) => {
  const ann = await personInNewContext(browser, 'Ann');
  const ben = await personInNewContext(browser, 'Ben', { width: 360, height: 740 });
  const cat = await personInNewContext(browser, 'Cat');

  // Ann finds Ben by his email and asks, with a note.
  await ann.page.getByTestId('friends-tab').click();
  await ann.page.getByTestId('friend-search-input').fill(ben.person.email);
  const found = ann.page.getByTestId('friend-search-result').filter({ hasText: 'Ben' });
  await found.getByTestId('friend-add').click();
  await ann.page.getByTestId('friend-request-note').fill('Hi Ben, Ann from the climbing club 🧗');
  await ann.page.getByTestId('friend-request-send').click();
  await expect(ann.page.getByTestId('outgoing-request')).toContainText('Ben');

  // Ben sees it arrive live, note and all, and accepts.
  await expect(ben.page.getByTestId('friends-tab')).toHaveAttribute('data-count', '1');
  await ben.page.getByTestId('friends-tab').click();
  const request = ben.page.getByTestId('incoming-request');
  await expect(request).toContainText('Ann');
  await expect(request).toContainText('Ann from the climbing club 🧗');
  await ben.page.screenshot({ path: testInfo.outputPath('ben-phone-request.png') });
  await request.getByTestId('request-accept').click();
  await expect(ben.page.getByTestId('friend-item')).toHaveText(/Ann/);
  await expect(ben.page.getByTestId('incoming-request')).toHaveCount(0);

  // Ann's request is gone and Ben is her friend: she starts the chat from her list.
  await expect(ann.page.getByTestId('outgoing-request')).toHaveCount(0);
  const annFriendBen = ann.page.locator('friend-list li').filter({ hasText: 'Ben' });
  await annFriendBen.getByTestId('friend-chat').click();
  await expect(ann.page.getByTestId('conversation-title')).toHaveText('Ben');
  await send(ann.page, 'Hello Ben!');

  await ben.page.getByTestId('chats-tab').click();
  await conversation(ben.page, 'Ann').click();
  await expect(messageTexts(ben.page)).toHaveText(['Hello Ben!']);
  await send(ben.page, 'Hi Ann 👋');
  await expect(messageTexts(ann.page)).toHaveText(['Hello Ben!', 'Hi Ann 👋']);

  // Ann gives Ben a private remark: it replaces his name in her list, the header and on his messages.
  await ann.page.getByTestId('friends-tab').click();
  await ann.page.getByTestId('friend-item').filter({ hasText: 'Ben' }).click();
  await ann.page.getByTestId('friend-remark-input').fill('Benny 🐻');
  await ann.page.getByTestId('friend-remark-save').click();
  await expect(ann.page.getByTestId('person-name')).toHaveText('Benny 🐻');
  await ann.page.getByTestId('sheet-close').click();
  await expect(ann.page.getByTestId('friend-item').filter({ hasText: 'Benny 🐻' })).toContainText('Ben');
  await ann.page.getByTestId('chats-tab').click();
  await expect(conversation(ann.page, 'Benny 🐻')).toBeVisible();
  await expect(ann.page.getByTestId('conversation-title')).toHaveText('Benny 🐻');
  await expect(ann.page.getByTestId('message').filter({ hasText: 'Hi Ann 👋' })).toContainText('Benny 🐻');
  // Only Ann sees it.
  await expect(ben.page.getByTestId('conversation-title')).toHaveText('Ann');

  // Ann makes a group with Ben (picked by the name she sees).
  await ann.page.getByTestId('group-create').click();
  await ann.page.getByTestId('group-title-input').fill('Climbing 🧗');
  await ann.page.getByTestId('group-member-option').filter({ hasText: 'Benny 🐻' }).click();
  await ann.page.getByTestId('group-create-submit').click();
  await expect(ann.page.getByTestId('conversation-title')).toHaveText('Climbing 🧗');
  await send(ann.page, 'Welcome to the group');

  await ben.page.getByTestId('back').click();
  await conversation(ben.page, 'Climbing 🧗').click();
  await expect(messageTexts(ben.page)).toContainText(['Welcome to the group']);

  // An invite link for Cat, who is nobody's friend.
  await ann.page.getByTestId('group-info').click();
  await expect(ann.page.getByTestId('member-item').filter({ hasText: 'Ann' })).toHaveAttribute('data-role', 'owner');
  await expect(ann.page.getByTestId('member-item').filter({ hasText: 'Benny 🐻' })).toHaveAttribute('data-role', 'member');
  await ann.page.getByTestId('invite-create').click();
  const link = await ann.page.getByTestId('invite-link').inputValue();
  expect(new URL(link).pathname).toMatch(/^\/join\/[a-z2-7]+$/);
  await ann.page.screenshot({ path: testInfo.outputPath('ann-desktop-group-info.png') });

  await cat.page.goto(new URL(link).pathname);
  await expect(cat.page.getByTestId('join-title')).toHaveText('Climbing 🧗');
  await cat.page.getByTestId('join-group').click();
  await expect(cat.page.getByTestId('conversation-title')).toHaveText('Climbing 🧗');
  await expect(cat.page).toHaveURL(/\/c\/g/);
  await send(cat.page, 'Cat here, thanks for the link');

  await expect(messageTexts(ann.page)).toContainText(['Cat here, thanks for the link']);
  await expect(messageTexts(ben.page)).toContainText(['Cat here, thanks for the link']);
  await expect(messageTexts(ben.page)).toContainText([/Cat joined/]);
  await expect(ann.page.getByTestId('member-item').filter({ hasText: 'Cat' })).toHaveAttribute('data-role', 'member');

  // On his phone, Ben taps Cat's name on her message to see her profile, then looks at the group's info.
  await ben.page.getByTestId('message').filter({ hasText: 'Cat here' }).getByText('Cat', { exact: true }).click();
  await expect(ben.page.getByTestId('person-name')).toHaveText('Cat');
  await expect(ben.page.getByTestId('friend-add')).toBeVisible();
  await ben.page.screenshot({ path: testInfo.outputPath('ben-phone-profile.png') });
  await ben.page.getByTestId('sheet-close').click();
  await clickHeaderAction(ben.page, 'group-info');
  await expect(ben.page.getByTestId('member-item')).toHaveCount(3);
  // A plain member cannot make links or remove anyone.
  await expect(ben.page.getByTestId('invite-create')).toHaveCount(0);
  await expect(ben.page.getByTestId('member-remove')).toHaveCount(0);
  await ben.page.screenshot({ path: testInfo.outputPath('ben-phone-group-info.png') });
  await ben.page.getByTestId('sheet-close').click();

  // Ann removes Cat: Cat's screen says so and her composer is disabled; what she had stays.
  const catRow = ann.page.getByTestId('member-item').filter({ hasText: 'Cat' });
  await catRow.getByTestId('member-remove').click();
  await catRow.getByTestId('member-remove-confirm').click();
  await expect(ann.page.getByTestId('member-item').filter({ hasText: 'Cat' })).toHaveCount(0);
  await expect(cat.page.getByTestId('ended-notice')).toContainText('no longer a member');
  await expect(cat.page.getByTestId('composer-input')).toBeDisabled();
  await expect(messageTexts(cat.page)).toContainText(['Cat here, thanks for the link']);
  await expect(cat.page.getByTestId('conversation-ended')).toHaveText('You were removed');
  await expect(messageTexts(ann.page)).toContainText([/removed Cat/]);
  await ann.page.getByTestId('sheet-close').click();

  // Ann deletes Ben as a friend: their direct chat leaves both lists; the group stays.
  await ann.page.getByTestId('friends-tab').click();
  await ann.page.getByTestId('friend-item').filter({ hasText: 'Benny 🐻' }).click();
  await ann.page.getByTestId('friend-delete').click();
  await ann.page.getByTestId('friend-delete-confirm').click();
  await expect(ann.page.getByTestId('friend-item')).toHaveCount(0);
  await ann.page.getByTestId('sheet-close').click();
  await ann.page.getByTestId('chats-tab').click();
  await expect(conversation(ann.page, /Ben/)).toHaveCount(0);
  await expect(conversation(ann.page, 'Climbing 🧗')).toBeVisible();
  await ben.page.getByTestId('back').click();
  await expect(conversation(ben.page, 'Ann')).toHaveCount(0);
  await expect(conversation(ben.page, 'Climbing 🧗')).toBeVisible();

  await ben.page.screenshot({ path: testInfo.outputPath('ben-phone-list.png') });
  await ann.context.close();
  await ben.context.close();
  await cat.context.close();
});

test('offline: friends and requests read from the device, social actions say they need the network', async ({ browser }) => {
  const ann = await personInNewContext(browser, 'Ann');
  const ben = await personInNewContext(browser, 'Ben');
  const cat = await personInNewContext(browser, 'Cat');
  await befriend(ann, ben);
  // Cat asks Ann; Ann has not answered yet.
  const origin = new URL(cat.page.url()).origin;
  const asked = await cat.page.request.post('/api/friends/requests', {
    data: { email: ann.person.email, note: 'hello from Cat' },
    headers: { origin },
  });
  expect(asked.status()).toBe(201);

  await ann.page.getByTestId('friends-tab').click();
  await expect(ann.page.getByTestId('friend-item')).toHaveText(/Ben/);
  await expect(ann.page.getByTestId('incoming-request')).toContainText('hello from Cat');

  await ann.context.setOffline(true);
  await expect(ann.page.getByTestId('offline-notice')).toBeVisible();
  await expect(ann.page.getByTestId('friend-search-input')).toBeDisabled();
  await expect(ann.page.getByTestId('request-accept')).toBeDisabled();
  // Reading still works: the friend list, the request, and Ben's profile from what the device knows.
  await expect(ann.page.getByTestId('incoming-request')).toContainText('hello from Cat');
  await ann.page.getByTestId('friend-item').filter({ hasText: 'Ben' }).click();
  await expect(ann.page.getByTestId('person-name')).toHaveText('Ben');
  await expect(ann.page.getByTestId('friend-remark-save')).toBeDisabled();
  await ann.page.getByTestId('sheet-close').click();
  // A friend's chat opens by name without the network.
  await ann.page.getByTestId('chats-tab').click();
  await ann.page.getByTestId('new-conversation-email').fill('ben');
  await ann.page.getByTestId('new-conversation-submit').click();
  await expect(ann.page.getByTestId('conversation-title')).toHaveText('Ben');

  await ann.context.setOffline(false);
  await ann.page.getByTestId('friends-tab').click();
  await ann.page.getByTestId('incoming-request').getByTestId('request-accept').click();
  await expect(ann.page.getByTestId('friend-item')).toHaveCount(2);

  await ann.context.close();
  await ben.context.close();
  await cat.context.close();
});
