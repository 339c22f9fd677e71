/**
 * Pinned messages over a real relay (docs/SECURITY.md, `pins`): a member
 * pins in its own name and the other member's replica shows it; any member
 * unpins any pin; someone outside the conversation cannot even open it, so
 * cannot pin. In a group whose owner or admins chose "only admins can
 * pin", a member's pin and unpin are refused by the relay, an admin's pass.
 * Forged and malformed pins are in the attack suite (attacks.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf, metaOf, pinsOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { api } from '../../testing/api-call.js';
import { useMemberScene } from '../../testing/member-scene.js';
import { openRawSession } from '../../testing/raw-session.js';
import { createUser } from '../../testing/test-users.js';
import { waitFor } from '../../testing/wait-for.js';

const scene = useMemberScene();

describe('pins', () => {
  it("a member's pin reaches the other member, who may unpin it", async () => {
    const mallory = scene.open(scene.mallory);
    const messageId = scene.aliceMessage.id;
    await waitFor(mallory.doc, () => messagesOf(mallory.doc).has(messageId), 10_000, "Mallory's replica synced");
    pinsOf(mallory.doc).set(messageId, { by: scene.mallory.id, at: Date.now() });
    const alice = scene.aliceReplica.doc;
    await waitFor(alice, () => pinsOf(alice).get(messageId)?.by === scene.mallory.id, 10_000, 'the pin at Alice');
    pinsOf(alice).delete(messageId);
    await waitFor(mallory.doc, () => !pinsOf(mallory.doc).has(messageId), 10_000, 'the unpin at Mallory');
    // Nobody was refused on the way: both replicas still sync.
    expect(mallory.provider.wsconnected).toBe(true);
    expect(scene.aliceReplica.provider.wsconnected).toBe(true);
  });

  it('someone outside the conversation is refused before they can pin', async () => {
    const eve = await createUser(scene.server, 'Eve');
    const session = await openRawSession(scene.server, eve, scene.docName);
    expect(await session.closed).toEqual(expect.objectContaining({ code: CloseCode.forbidden }));
    expect(pinsOf(scene.aliceReplica.doc).size).toBe(0);
  });
});

describe('pins in a group where only admins pin', () => {
  it("refuses a member's pin and unpin, and lets an admin pin", async () => {
    const { alice, mallory } = scene;
    const created = await api<{ id: string }>(scene.server, 'POST', '/api/conversations', {
      cookie: alice.cookie,
      body: { kind: 'group', title: 'Board', memberIds: [mallory.id] },
    });
    expect(created.status).toBe(201);
    const docName = convDocName(created.body.id);
    // The owner turns the setting on (the server writes it into the group's meta).
    const setting = await api(scene.server, 'PATCH', `/api/conversations/${created.body.id}`, {
      cookie: alice.cookie,
      body: { pinsByAdmins: true },
    });
    expect(setting.status).toBe(204);

    const admins = await openRawSession(scene.server, alice, docName);
    await admins.synced;
    await waitFor(admins.doc, () => metaOf(admins.doc).get('pinsByAdmins') === true, 10_000, 'the setting in meta');
    let hello = { id: '' };
    admins.write((doc) => {
      hello = writeMessage(doc, alice.id, 'rules of the board');
    });
    await waitFor(admins.doc, () => seqIndexOf(admins.doc).has(hello.id), 10_000, 'numbered');

    const member = await openRawSession(scene.server, mallory, docName);
    await member.synced;
    member.write((doc) => pinsOf(doc).set(hello.id, { by: mallory.id, at: Date.now() }));
    expect(await member.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: pins-admins-only' });
    expect(pinsOf(admins.doc).has(hello.id)).toBe(false);

    // The owner pins; the member cannot unpin it either.
    admins.write((doc) => pinsOf(doc).set(hello.id, { by: alice.id, at: Date.now() }));
    const again = await openRawSession(scene.server, mallory, docName);
    await again.synced;
    await waitFor(again.doc, () => pinsOf(again.doc).has(hello.id), 10_000, "the owner's pin at the member");
    again.write((doc) => pinsOf(doc).delete(hello.id));
    expect(await again.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: pins-admins-only' });
    expect(admins.isOpen).toBe(true);
    expect(pinsOf(admins.doc).has(hello.id)).toBe(true);
    admins.close();
  });
});
