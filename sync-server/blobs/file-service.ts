/**
 * Files of any type and voice messages in conversations (issue 15): only a
 * member may send one, its size is bounded by FILE_UPLOAD_MAX_BYTES (the
 * route refuses a larger body before it is read whole), uploads count
 * against the same per-person rate as pictures, and the bytes are stored
 * once by their SHA-256 with the declared name and type
 * (declared-file.ts). Who may download is the pictures' rule
 * (PictureService.fetch): the uploader and the members of a conversation it
 * was sent to.
 */
import type { ConversationService } from '../conversations/conversation-service.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import { ok, rateLimited, refuse, type Outcome } from '../outcome.js';
import type { UserRecord } from '../store/database.js';
import type { BlobStore } from './blob-store.js';
import { declaredFileName, declaredFileType } from './declared-file.js';

export type FileError = 'rate_limited' | 'invalid_request' | 'conversation_not_found';

/** What the sender's message carries: the stored bytes' id, and the name and type as stored. */
export interface SentFile {
  blobId: string;
  name: string;
  mime: string;
  size: number;
}

export class FileService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly conversations: ConversationService,
    /** Uploads per person, over time (RATE_UPLOADS_PER_USER), shared with pictures. */
    private readonly uploadLimit: RateLimiter,
  ) {}

  /** A file for a message in a conversation, with the name and `Content-Type` its sender declared. */
  async addToConversation(
    me: UserRecord,
    conversationId: string,
    bytes: Uint8Array,
    declared: { name: string | undefined; type: string | undefined },
  ): Promise<Outcome<SentFile, FileError>> {
    if (!(await this.conversations.isMember(conversationId, me.id))) return refuse('conversation_not_found');
    const limit = await this.uploadLimit.consume(me.id);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    if (bytes.length === 0) return refuse('invalid_request', 'The file is empty.');
    const name = declaredFileName(declared.name);
    const mime = declaredFileType(declared.type);
    const blob = await this.blobs.put(bytes, { kind: 'file', mime, name }, me.id, false);
    await this.blobs.addReference(blob.id, conversationId);
    // The declared name and type, not the record's: the same bytes may have been stored first under another name.
    return ok({ blobId: blob.id, name, mime, size: blob.size });
  }
}
