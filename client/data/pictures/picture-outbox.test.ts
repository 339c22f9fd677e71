import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { messagesOf, type Message } from '../../../shared/schema.js';
import { fakeTimeouts } from '../../testing/fake-timeouts.js';
import { whenChanged } from '../../testing/wait-for.js';
import { PictureOutbox, type PictureOutboxHost } from './picture-outbox.js';
import { PictureStore } from './picture-store.js';
import type { UploadPicture, UploadRequest, UploadResult } from './picture-upload.js';

let people = 0;

/** A conversation document, the network switch, and an uploader that answers as the test says. */
function scene(meId = `me${++people}`) {
  const doc = new Y.Doc();
  const uploads: UploadRequest[] = [];
  let answer: (request: UploadRequest) => UploadResult = () => ({
    ok: true,
    picture: { blobId: `blob${uploads.length}`, mime: 'image/webp', width: 4, height: 3 },
  });
  const state = { online: true, mayUpload: true };
  /** Whether the session allowed uploading at each upload. */
  const allowedAtUpload: boolean[] = [];
  const host: PictureOutboxHost = {
    meId,
    conversationDoc: async () => doc,
    write: (_conversationId, message) => messagesOf(doc).set(message.id, message),
    mayUpload: () => state.mayUpload,
    isOnline: () => state.online,
  };
  const upload: UploadPicture = async (request) => {
    uploads.push(request);
    allowedAtUpload.push(state.mayUpload);
    request.onProgress(0.5);
    return answer(request);
  };
  const outboxes: PictureOutbox[] = [];
  const open = () => {
    const outbox = new PictureOutbox(host, new PictureStore(meId), {
      loadUploader: async () => upload,
      makePreviewUrl: () => 'blob:preview',
      revokePreviewUrl: () => undefined,
      retryMs: 5,
      maxRetryMs: 20,
    });
    outboxes.push(outbox);
    return outbox;
  };
  return {
    meId,
    doc,
    uploads,
    allowedAtUpload,
    state,
    open,
    answerWith: (next: (request: UploadRequest) => UploadResult) => (answer = next),
    closeAll: () => outboxes.forEach((outbox) => outbox.close()),
  };
}

const picture = { conversationId: 'c1', bytes: new Uint8Array([1, 2, 3]).buffer, mime: 'image/webp', width: 4, height: 3, caption: 'look' };

function images(doc: Y.Doc): Message[] {
  return [...messagesOf(doc).values()].filter((m) => m.kind === 'image');
}

/** Resolves when `condition` holds, looking again on every change of the outbox or the document. */
function until(outbox: PictureOutbox, doc: Y.Doc, condition: () => boolean, what: string): Promise<void> {
  return whenChanged([outbox, doc], condition, what, 2000);
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('PictureOutbox', () => {
  it('sends a file offline later as a file message with its name and size, and a voice message with its length (issue 15)', async () => {
    const s = scene();
    cleanups.push(s.closeAll);
    s.state.online = false;
    s.answerWith((request) => ({
      ok: true,
      picture: { blobId: `f-${request.fileName?.replace('.', '-')}`, mime: request.mime, width: 0, height: 0 },
    }));
    const outbox = s.open();
    const bytes = new Uint8Array(1234).buffer;
    const fileId = await outbox.add({
      ...picture,
      bytes,
      mime: 'application/pdf',
      width: 0,
      height: 0,
      caption: '',
      file: { kind: 'file', name: 'a.pdf' },
    });
    const voiceId = await outbox.add({
      ...picture,
      bytes,
      mime: 'audio/webm;codecs=opus',
      width: 0,
      height: 0,
      caption: '',
      file: { kind: 'voice', durationMs: 2500.4, peaks: [1, 50, 100] },
    });
    expect(outbox.pendingIn('c1').map((p) => p.message.kind)).toEqual(['file', 'voice']);
    expect(s.uploads).toHaveLength(0);

    s.state.online = true;
    outbox.wake();
    await until(outbox, s.doc, () => messagesOf(s.doc).size === 2, 'both messages');
    expect(s.uploads.map((u) => [u.fileName, u.mime])).toEqual([
      ['a.pdf', 'application/pdf'],
      ['voice', 'audio/webm'],
    ]);
    expect(messagesOf(s.doc).get(fileId)).toMatchObject({
      kind: 'file',
      attachments: [{ blobId: 'f-a-pdf', mime: 'application/pdf', name: 'a.pdf', size: 1234 }],
    });
    expect(messagesOf(s.doc).get(voiceId)).toMatchObject({
      kind: 'voice',
      attachments: [{ blobId: 'f-voice', mime: 'audio/webm', size: 1234, durationMs: 2500, peaks: [1, 50, 100] }],
    });
  });

  it('keeps a file the server refuses as too large, failed with the reason, until it is discarded', async () => {
    const s = scene();
    cleanups.push(s.closeAll);
    s.answerWith(() => ({ ok: false, status: 413, message: 'The file is larger than 20 MB, the most that can be sent.' }));
    const outbox = s.open();
    const id = await outbox.add({
      ...picture,
      mime: 'application/zip',
      width: 0,
      height: 0,
      caption: '',
      file: { kind: 'file', name: 'big.zip' },
    });
    await until(outbox, s.doc, () => outbox.pendingIn('c1')[0]?.failure !== undefined, 'the failure');
    expect(outbox.pendingIn('c1')[0]).toMatchObject({ failure: 'The file is larger than 20 MB, the most that can be sent.' });
    expect(messagesOf(s.doc).size).toBe(0);
    const reopened = s.open();
    await reopened.whenStarted();
    expect(reopened.has(id)).toBe(true);
  });

  it('uploads, then writes the image message under the id it was shown with', async () => {
    const s = scene();
    cleanups.push(s.closeAll);
    const outbox = s.open();
    const id = await outbox.add(picture);
    await until(outbox, s.doc, () => images(s.doc).length === 1, 'the image message');
    expect(images(s.doc)[0]).toMatchObject({
      id,
      kind: 'image',
      text: 'look',
      attachments: [{ blobId: 'blob1', mime: 'image/webp', width: 4, height: 3 }],
    });
    await until(outbox, s.doc, () => outbox.count() === 0, 'an empty outbox');
    expect(outbox.previewOf(id)).toBe('blob:preview');
  });

  it('waits offline, shown pending; survives a reload; sends once when back online', async () => {
    const s = scene();
    cleanups.push(s.closeAll);
    s.state.online = false;
    const first = s.open();
    const id = await first.add(picture);
    expect(first.pendingIn('c1')).toMatchObject([{ message: { id, kind: 'image' }, progress: undefined, failure: undefined }]);
    first.close();

    const reloaded = s.open();
    await reloaded.whenStarted();
    expect(reloaded.pendingIn('c1').map((p) => p.message.id)).toEqual([id]);
    expect(s.uploads).toHaveLength(0);

    s.state.online = true;
    reloaded.wake();
    await until(reloaded, s.doc, () => reloaded.count() === 0, 'an empty outbox');
    expect(s.uploads).toHaveLength(1);
    expect(images(s.doc).map((m) => m.id)).toEqual([id]);

    const again = s.open();
    await again.whenStarted();
    expect(again.count()).toBe(0);
  });

  it('after a crash between upload and message, writes the message once without uploading again', async () => {
    const s = scene();
    cleanups.push(s.closeAll);
    const id = '0000000a1-aaaaaaaaaaaa';
    await new PictureStore(s.meId).put({ ...picture, id, authorId: s.meId, createdAt: 10, blobId: 'stored' });
    const outbox = s.open();
    await outbox.whenStarted();
    await until(outbox, s.doc, () => outbox.count() === 0, 'an empty outbox');
    expect(s.uploads).toHaveLength(0);
    expect(images(s.doc)).toMatchObject([{ id, attachments: [{ blobId: 'stored' }] }]);

    // The message made it into the document, the record's deletion did not: nothing is written twice.
    const written = messagesOf(s.doc).get(id);
    await new PictureStore(s.meId).put({ ...picture, id, authorId: s.meId, createdAt: 10, blobId: 'stored' });
    let writes = 0;
    messagesOf(s.doc).observe(() => writes++);
    const reopened = s.open();
    await reopened.whenStarted();
    await until(reopened, s.doc, () => reopened.count() === 0, 'an empty outbox');
    expect(writes).toBe(0);
    expect(messagesOf(s.doc).get(id)).toEqual(written);
  });

  it('tries again after a network failure, with progress while uploading', async () => {
    const s = scene();
    cleanups.push(s.closeAll);
    let failures = 1;
    s.answerWith(() =>
      failures-- > 0
        ? { ok: false, status: 0, message: 'no network' }
        : { ok: true, picture: { blobId: 'b', mime: 'image/webp', width: 4, height: 3 } },
    );
    const outbox = s.open();
    const progress: Array<number | undefined> = [];
    outbox.addEventListener('change', () => progress.push(outbox.pendingIn('c1')[0]?.progress));
    await outbox.add(picture);
    await until(outbox, s.doc, () => images(s.doc).length === 1, 'the image message after a retry');
    expect(s.uploads).toHaveLength(2);
    expect(progress).toContain(0.5);
  });

  it('keeps a picture the server refuses for good as failed, until discarded', async () => {
    const s = scene();
    cleanups.push(s.closeAll);
    s.answerWith(() => ({ ok: false, status: 415, message: 'Not a picture we accept.' }));
    const outbox = s.open();
    const id = await outbox.add(picture);
    await until(outbox, s.doc, () => outbox.pendingIn('c1')[0]?.failure !== undefined, 'the failure');
    expect(outbox.pendingIn('c1')[0]?.failure).toBe('Not a picture we accept.');
    expect(images(s.doc)).toHaveLength(0);

    const reloaded = s.open();
    await reloaded.whenStarted();
    expect(reloaded.pendingIn('c1')[0]?.failure).toBe('Not a picture we accept.');
    await reloaded.discard(id);
    expect(reloaded.count()).toBe(0);
    const again = s.open();
    await again.whenStarted();
    expect(again.count()).toBe(0);
    expect(s.uploads).toHaveLength(1);
  });

  it('uploads nothing while the session has ended', async () => {
    fakeTimeouts();
    const s = scene();
    cleanups.push(s.closeAll);
    s.state.mayUpload = false;
    const outbox = s.open();
    await outbox.add(picture);
    // Whatever retry the outbox scheduled comes due now.
    await vi.runAllTimersAsync();
    expect(s.uploads).toHaveLength(0);
    s.state.mayUpload = true;
    outbox.wake();
    await until(outbox, s.doc, () => images(s.doc).length === 1, 'the image message once allowed');
    // One upload, made after the session allowed it: none went out before it, behind the ended session's back.
    expect(s.allowedAtUpload).toEqual([true]);
  });
});
