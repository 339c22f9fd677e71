import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/schema.js';
import { textMessage } from '../../../shared/testing/text-message.js';
import type { ShareBlob } from './forwarding.js';
import { forwardedCopy, forwardMessage } from './forwarding.js';

const picture: Message = {
  ...textMessage('bob', 'look'),
  kind: 'image',
  replyTo: textMessage('bob', 'x').id,
  editedAt: Date.now(),
  attachments: [{ blobId: 'b'.repeat(64), mime: 'image/jpeg', width: 10, height: 10 }],
};

describe('forwarding', () => {
  it("makes a new message of mine, marked forwarded, with the original's text and pictures only", () => {
    const copy = forwardedCopy(picture, 'ada', 1_700_000_000_000);
    expect(copy.ok).toBe(true);
    if (!copy.ok) return;
    expect(copy.message).toMatchObject({ author: 'ada', kind: 'image', text: 'look', forwarded: true, attachments: picture.attachments });
    expect(copy.message.id).not.toBe(picture.id);
    expect(copy.message).not.toHaveProperty('replyTo');
    expect(copy.message).not.toHaveProperty('editedAt');
  });

  it('refuses deleted and system messages', () => {
    expect(forwardedCopy({ ...picture, deleted: true, text: '', attachments: [] }, 'ada').ok).toBe(false);
    expect(forwardedCopy({ ...textMessage('server', 'Bob joined'), kind: 'system' }, 'ada').ok).toBe(false);
  });

  it('shares the pictures with each target first, and writes no copy where the server refuses', async () => {
    const written: string[] = [];
    const shared: string[] = [];
    const share: ShareBlob = async (conversationId) => {
      shared.push(conversationId);
      return conversationId === 'refused'
        ? { ok: false, status: 404, error: { error: 'not_found', message: 'Not found.' } }
        : { ok: true, status: 201, value: { blobId: 'b' } };
    };
    const failures = await forwardMessage(picture, 'ada', ['one', 'refused', 'two'], (id) => written.push(id), share);
    expect(shared).toEqual(['one', 'refused', 'two']);
    expect(written).toEqual(['one', 'two']);
    expect([...failures.keys()]).toEqual(['refused']);
  });

  it('writes text at once, with no server call (offline too)', async () => {
    const written: Message[] = [];
    const failures = await forwardMessage(
      textMessage('bob', 'hello'),
      'ada',
      ['one'],
      (_id, m) => written.push(m),
      async () => {
        throw new Error('no call expected');
      },
    );
    expect(failures.size).toBe(0);
    expect(written[0]).toMatchObject({ text: 'hello', forwarded: true, author: 'ada' });
  });
});
