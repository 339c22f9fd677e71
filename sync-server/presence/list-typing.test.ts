/**
 * Typing in the list over real sockets (issue 15, list-typing.ts): a member
 * typing in a conversation reaches the other member through the presence of
 * their own `user/<id>` document, which they hold open without opening the
 * conversation; a stranger hears nothing; stopping clears it.
 */
import { describe, expect, it } from 'vitest';
import type { Awareness } from 'y-protocols/awareness';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { LIST_TYPING_FIELD, type ListTyping } from '../../shared/list-typing.js';
import { directConversation } from '../testing/direct-conversation.js';
import { whenSynced } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

/** Every conversation with someone typing, as the states of `awareness` say (the server's is the one with the field). */
function listTypingIn(awareness: Awareness): ListTyping {
  const merged: ListTyping = {};
  for (const state of awareness.getStates().values()) Object.assign(merged, state[LIST_TYPING_FIELD] ?? {});
  return merged;
}

/** Resolves once `predicate` holds for the awareness, checked at each change; fails after 10 s. */
function awarenessReaches(awareness: Awareness, predicate: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      awareness.off('change', check);
      reject(new Error(`timed out; typing is ${JSON.stringify(listTypingIn(awareness))}`));
    }, 10_000);
    function check(): void {
      if (!predicate()) return;
      clearTimeout(timer);
      awareness.off('change', check);
      resolve();
    }
    awareness.on('change', check);
  });
}

describe('typing in the list', () => {
  it('reaches the other member through their user document, never a stranger, and clears when they stop', async () => {
    const ada = await createUser(test.server, 'Ada');
    const bob = await createUser(test.server, 'Bob');
    const eve = await createUser(test.server, 'Eve');
    const conversationId = await directConversation(test.server, ada, bob);
    const bobsList = test.open(bob, userDocName(bob.id));
    const evesList = test.open(eve, userDocName(eve.id));
    const adasChat = test.open(ada, convDocName(conversationId));
    await Promise.all([whenSynced(bobsList), whenSynced(evesList), whenSynced(adasChat)]);

    // A state that claims another person's id still counts as Ada's: who types is taken from the connection.
    adasChat.provider.awareness.setLocalState({ user: { id: eve.id, name: 'Mallory' }, typing: true });
    await awarenessReaches(bobsList.provider.awareness, () => listTypingIn(bobsList.provider.awareness)[conversationId] !== undefined);
    expect(listTypingIn(bobsList.provider.awareness)).toEqual({ [conversationId]: [{ id: ada.id, name: 'Ada' }] });
    expect(test.server.context.presence.listTyping.typingFor(eve.id)).toEqual({});
    expect(listTypingIn(evesList.provider.awareness)).toEqual({});
    // Ada's own list does not say she is typing.
    expect(test.server.context.presence.listTyping.typingFor(ada.id)).toEqual({});

    adasChat.provider.awareness.setLocalStateField('typing', false);
    await awarenessReaches(bobsList.provider.awareness, () => Object.keys(listTypingIn(bobsList.provider.awareness)).length === 0);
  });

  it('greets a device that opens the list while someone already types, and clears when the typer leaves', async () => {
    const ada = await createUser(test.server, 'Ada');
    const bob = await createUser(test.server, 'Bob');
    const conversationId = await directConversation(test.server, ada, bob);
    const adasChat = test.open(ada, convDocName(conversationId));
    await whenSynced(adasChat);
    adasChat.provider.awareness.setLocalState({ typing: true });
    const bobsList = test.open(bob, userDocName(bob.id));
    await awarenessReaches(bobsList.provider.awareness, () => listTypingIn(bobsList.provider.awareness)[conversationId] !== undefined);

    adasChat.destroy();
    await awarenessReaches(bobsList.provider.awareness, () => Object.keys(listTypingIn(bobsList.provider.awareness)).length === 0);
  });
});
