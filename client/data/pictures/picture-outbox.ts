/**
 * Pictures, files and voice messages on their way into a conversation (a
 * record with `file` is a file or voice message: issue 15). Sending one stores it at once
 * (IndexedDB, `picture-store.ts`) under the id of the message it becomes, so
 * the list shows it pending from the local bytes, offline and across
 * reloads. When the network is there it is uploaded (with progress), the
 * server's blob id is stored, then the image message is written and the
 * record dropped. Each step is idempotent: an upload repeated after a crash
 * is stored once by the server (content hash), and the message is written
 * under its fixed id only if the document does not have it yet.
 */
import type * as Y from 'yjs';
import { newMessageId } from '../../../shared/message-id.js';
import { checkMessage, clampMessageTime } from '../../../shared/message-rules.js';
import { type Attachment, messagesOf, type Message } from '../../../shared/schema.js';
import type { NewPicture, PictureRecord, PictureStore } from './picture-store.js';
import type { UploadPicture } from './picture-upload.js';

/** What the outbox needs from the signed-in session. */
export interface PictureOutboxHost {
  readonly meId: string;
  /** The conversation's document, once its local copy is loaded. */
  conversationDoc(conversationId: string): Promise<Y.Doc>;
  /** Writes a new message the way the session writes any (it knows about refused replicas). */
  write(conversationId: string, message: Message): void;
  /** False while the session has ended: nothing may go out with whatever cookie the browser holds. */
  mayUpload(): boolean;
  isOnline(): boolean;
}

export type { NewPicture } from './picture-store.js';

/** A waiting picture as the message list shows it. */
export interface PendingPicture {
  message: Message;
  previewUrl: string | undefined;
  /** 0…1 while uploading, undefined while waiting. */
  progress: number | undefined;
  failure: string | undefined;
}

export interface PictureOutboxOptions {
  /** Loads the uploader (a dynamic import in the app, so the first paint does not carry it). */
  loadUploader: () => Promise<UploadPicture>;
  makePreviewUrl?: (bytes: ArrayBuffer, mime: string) => string | undefined;
  revokePreviewUrl?: (url: string) => void;
  now?: () => number;
  /** First retry delay after a network or server failure; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

type Step = 'next' | 'wait';

export class PictureOutbox extends EventTarget {
  private readonly records = new Map<string, PictureRecord>();
  private readonly progress = new Map<string, number>();
  /** Local previews by message id; kept after sending so the list never refetches my own picture. */
  private readonly previews = new Map<string, string>();
  private readonly options: Required<PictureOutboxOptions>;
  private uploader: UploadPicture | undefined;
  private pumping = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay: number;
  private abort: AbortController | undefined;
  private closed = false;
  private readonly started: Promise<void>;

  constructor(
    private readonly host: PictureOutboxHost,
    private readonly store: PictureStore,
    options: PictureOutboxOptions,
  ) {
    super();
    this.options = {
      makePreviewUrl: (bytes, mime) => URL.createObjectURL(new Blob([bytes], { type: mime })),
      revokePreviewUrl: (url) => URL.revokeObjectURL(url),
      now: Date.now,
      retryMs: 2000,
      maxRetryMs: 30_000,
      ...options,
    };
    this.retryDelay = this.options.retryMs;
    this.started = this.load();
  }

  /** Resolves once the stored pictures are loaded and the first upload attempt started. */
  whenStarted(): Promise<void> {
    return this.started;
  }

  /** Stores a picture and starts sending it; resolves with the id of the message it becomes. */
  async add(picture: NewPicture): Promise<string> {
    await this.started;
    const now = this.options.now();
    const record: PictureRecord = {
      id: newMessageId(now),
      conversationId: picture.conversationId,
      authorId: this.host.meId,
      bytes: picture.bytes,
      // Without parameters (`audio/webm;codecs=opus`): a message's type is a bare one, as the server stores it.
      mime: picture.mime.split(';')[0].trim() || 'application/octet-stream',
      width: picture.width,
      height: picture.height,
      caption: picture.caption,
      createdAt: now,
      ...(picture.replyTo ? { replyTo: picture.replyTo } : {}),
      ...(picture.file ? { file: picture.file } : {}),
    };
    await this.store.put(record);
    this.remember(record);
    this.changed();
    this.wake();
    return record.id;
  }

  /** Pictures of one conversation not written as messages yet. */
  pendingIn(conversationId: string): PendingPicture[] {
    const result: PendingPicture[] = [];
    for (const record of this.records.values()) {
      if (record.conversationId !== conversationId) continue;
      result.push({
        message: messageOf(record, record.blobId ?? ''),
        previewUrl: this.previews.get(record.id),
        progress: this.progress.get(record.id),
        failure: record.failure,
      });
    }
    return result;
  }

  /** All waiting pictures (failed ones included). */
  count(): number {
    return this.records.size;
  }

  /** The local copy of a picture I sent from this tab, if it still has one. */
  previewOf(messageId: string): string | undefined {
    return this.previews.get(messageId);
  }

  has(messageId: string): boolean {
    return this.records.has(messageId);
  }

  /** Gives up a waiting picture (one being uploaded is cancelled). */
  async discard(messageId: string): Promise<void> {
    const record = this.records.get(messageId);
    if (!record) return;
    if (this.pumping && this.progress.has(messageId)) this.abort?.abort();
    this.records.delete(messageId);
    this.progress.delete(messageId);
    this.forgetPreview(messageId);
    this.changed();
    await this.store.delete(messageId);
  }

  /** Try now: the network came back, the tab became visible, the person signed in again. */
  wake(): void {
    if (this.closed) return;
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    void this.pump();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.abort?.abort();
    for (const id of [...this.previews.keys()]) this.forgetPreview(id);
    this.store.close();
  }

  private async load(): Promise<void> {
    let stored: PictureRecord[] = [];
    try {
      stored = await this.store.all();
    } catch (error) {
      console.error('Could not read the pictures waiting to be sent', error);
    }
    if (this.closed) return;
    for (const record of stored) if (record.authorId === this.host.meId) this.remember(record);
    if (stored.length > 0) this.changed();
    void this.pump();
  }

  private remember(record: PictureRecord): void {
    this.records.set(record.id, record);
    if (!this.previews.has(record.id)) {
      const url = this.options.makePreviewUrl(record.bytes, record.mime);
      if (url) this.previews.set(record.id, url);
    }
  }

  private forgetPreview(id: string): void {
    const url = this.previews.get(id);
    if (url) this.options.revokePreviewUrl(url);
    this.previews.delete(id);
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      for (;;) {
        const next = [...this.records.values()].find((record) => !record.failure);
        if (!next || this.closed) break;
        if ((await this.send(next)) === 'wait') break;
      }
    } catch (error) {
      console.error('Sending a picture failed', error);
      this.retryLater();
    } finally {
      this.pumping = false;
    }
  }

  /** Uploads (unless done before) and writes one picture's message. */
  private async send(record: PictureRecord): Promise<Step> {
    let current = record;
    if (!current.blobId) {
      if (!this.host.isOnline() || !this.host.mayUpload()) return 'wait';
      const uploaded = await this.upload(current);
      if (uploaded === 'wait' || uploaded === 'next') return uploaded;
      current = uploaded;
    }
    const doc = await this.host.conversationDoc(current.conversationId);
    if (!this.records.has(current.id) || this.closed) return 'next';
    if (!messagesOf(doc).has(current.id)) {
      const message = messageOf(current, current.blobId ?? '');
      const refusal = checkMessage(message.id, message, this.host.meId);
      if (refusal) return this.fail(current, refusal.detail);
      this.host.write(current.conversationId, message);
    }
    this.records.delete(current.id);
    this.progress.delete(current.id);
    this.changed();
    await this.store.delete(current.id);
    return 'next';
  }

  private async upload(record: PictureRecord): Promise<PictureRecord | Step> {
    this.uploader ??= await this.options.loadUploader();
    this.abort = new AbortController();
    this.progress.set(record.id, 0);
    this.changed();
    const result = await this.uploader({
      conversationId: record.conversationId,
      bytes: record.bytes,
      mime: record.mime,
      ...(record.file ? { fileName: record.file.kind === 'file' ? record.file.name : 'voice' } : {}),
      signal: this.abort.signal,
      onProgress: (fraction) => {
        if (!this.records.has(record.id)) return;
        this.progress.set(record.id, fraction);
        this.changed();
      },
    });
    this.abort = undefined;
    if (!this.records.has(record.id) || this.closed) return 'next'; // discarded meanwhile
    if (!result.ok) {
      this.progress.delete(record.id);
      if (isTransient(result.status)) {
        this.retryLater(result.retryAfterSeconds);
        this.changed();
        return 'wait';
      }
      return this.fail(record, result.message);
    }
    this.retryDelay = this.options.retryMs;
    const { blobId, mime, width, height } = result.picture;
    const uploaded: PictureRecord = { ...record, blobId, mime, width, height };
    this.records.set(record.id, uploaded);
    this.progress.set(record.id, 1);
    // Stored before the message is written: a reload from here on never uploads again.
    await this.store.put(uploaded);
    return uploaded;
  }

  private async fail(record: PictureRecord, reason: string): Promise<Step> {
    const failed: PictureRecord = { ...record, failure: reason };
    this.records.set(record.id, failed);
    this.progress.delete(record.id);
    this.changed();
    await this.store.put(failed);
    return 'next';
  }

  private retryLater(afterSeconds?: number): void {
    if (this.closed) return;
    const delay = afterSeconds ? afterSeconds * 1000 : this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.maxRetryMs);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.pump();
    }, delay);
  }

  private changed(): void {
    if (!this.closed) this.dispatchEvent(new Event('change'));
  }
}

/** No network, a server in trouble, an ended session, too many at once: worth trying again later. */
function isTransient(status: number): boolean {
  return status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;
}

/** The image, file or voice message a record becomes (with an empty blob id while it is not uploaded). */
function messageOf(record: PictureRecord, blobId: string): Message {
  return {
    id: record.id,
    author: record.authorId,
    kind: record.file?.kind ?? 'image',
    text: record.caption,
    createdAt: clampMessageTime(record.createdAt),
    attachments: [attachmentOf(record, blobId)],
    ...(record.replyTo ? { replyTo: record.replyTo } : {}),
  };
}

function attachmentOf({ file, mime, width, height, bytes }: PictureRecord, blobId: string): Attachment {
  if (!file) return { blobId, mime, width, height };
  const size = bytes.byteLength;
  if (file.kind === 'file') return { blobId, mime, name: file.name, size };
  return { blobId, mime, size, durationMs: Math.round(file.durationMs), peaks: file.peaks };
}
