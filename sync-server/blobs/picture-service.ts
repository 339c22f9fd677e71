/**
 * Pictures: avatars, group pictures and pictures in messages. The type is
 * read from the bytes (PNG, JPEG, GIF, WebP), the sides are bounded, uploads
 * are rate limited per person, and each picture is stored once. Avatars and
 * group pictures are visible to every signed-in person; a message's picture
 * to its uploader and the members of a conversation it was sent to.
 */
import { AVATAR_MAX_SIDE } from '../../shared/limits.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { GroupError, GroupService } from '../conversations/group-service.js';
import { ok, rateLimited, refuse, type Outcome, type Refusal } from '../outcome.js';
import type { ProfileService } from '../profiles/profile-service.js';
import type { UserRecord } from '../store/database.js';
import { type BlobRecord, type BlobStore, isFileRecord } from './blob-store.js';
import { sniffImage, type ImageInfo } from './image-type.js';

/** Avatars are scaled down by the client; the server refuses anything much larger. */
const AVATAR_SIDE_LIMIT = AVATAR_MAX_SIDE * 2;
/** Photos are scaled to 2048 px by the client; larger ones are refused. */
const PICTURE_SIDE_LIMIT = 4096;

export type PictureError = 'rate_limited' | 'unsupported_media_type' | 'invalid_request';

/** Bytes to send back: a picture's (read from its bytes) or a file's (declared, with its name: file-download headers apply). */
export interface StoredBlob {
  mime: string;
  bytes: Buffer;
  fileName?: string;
}

export interface SentPicture {
  blobId: string;
  url: string;
  mime: string;
  width: number;
  height: number;
  size: number;
}

export class PictureService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly profiles: ProfileService,
    private readonly groups: GroupService,
    private readonly conversations: ConversationService,
    /** Uploads per person, over time (RATE_UPLOADS_PER_USER). */
    private readonly uploadLimit: RateLimiter,
  ) {}

  async setAvatar(me: UserRecord, bytes: Uint8Array): Promise<Outcome<{ avatar: string }, PictureError>> {
    const picture = await this.accept(me, bytes, AVATAR_SIDE_LIMIT);
    if (!picture.ok) return picture;
    const blob = await this.blobs.put(bytes, picture.value, me.id, true);
    const avatar = urlOf(blob);
    await this.profiles.update(me, { avatar });
    return ok({ avatar });
  }

  async setGroupPicture(
    me: UserRecord,
    groupId: string,
    bytes: Uint8Array,
  ): Promise<Outcome<{ avatar: string }, PictureError | GroupError>> {
    // Asked before anything is stored: someone who may not change the picture leaves no file behind.
    const allowed = await this.groups.mayUpdate(me, groupId);
    if (!allowed.ok) return allowed;
    const picture = await this.accept(me, bytes, AVATAR_SIDE_LIMIT);
    if (!picture.ok) return picture;
    const blob = await this.blobs.put(bytes, picture.value, me.id, true);
    const avatar = urlOf(blob);
    const updated = await this.groups.update(me, groupId, { avatar });
    return updated.ok ? ok({ avatar }) : updated;
  }

  /** A picture for a message in a conversation: only its members may send it. */
  async addToConversation(
    me: UserRecord,
    conversationId: string,
    bytes: Uint8Array,
  ): Promise<Outcome<SentPicture, PictureError | 'conversation_not_found'>> {
    if (!(await this.conversations.isMember(conversationId, me.id))) return refuse('conversation_not_found');
    const picture = await this.accept(me, bytes, PICTURE_SIDE_LIMIT);
    if (!picture.ok) return picture;
    const blob = await this.blobs.put(bytes, picture.value, me.id, false);
    await this.blobs.addReference(blob.id, conversationId);
    // The sides read now: the same bytes stored earlier as a file keep that record, and it has none.
    const { mime, width, height } = picture.value;
    return ok({ blobId: blob.id, url: urlOf(blob), mime, width, height, size: blob.size });
  }

  /**
   * The stored bytes and their type (and a file's stored name), if `me` may
   * see them: pictures and files alike. Undefined for no such blob too (it does not say which).
   */
  async fetch(me: UserRecord, blobId: string): Promise<StoredBlob | undefined> {
    const blob = await this.blobs.get(blobId);
    if (!blob || !(await this.mayFetch(blob, me.id))) return undefined;
    const bytes = await this.blobs.read(blob.id);
    return isFileRecord(blob) ? { mime: blob.mime, bytes, fileName: blob.name } : { mime: blob.mime, bytes };
  }

  /**
   * A picture or file forwarded into another conversation (issue 15): the
   * same stored bytes, now also readable by that conversation's members.
   * Allowed only to a member of the target who may read the blob already:
   * they could download and upload it again, so sharing it by reference
   * gives nobody more than that, without the bytes going round. Counted as
   * an upload. A blob they may not read is refused as if it did not exist.
   */
  async forwardToConversation(
    me: UserRecord,
    conversationId: string,
    blobId: string,
  ): Promise<Outcome<{ blobId: string }, 'rate_limited' | 'not_found' | 'conversation_not_found'>> {
    if (!(await this.conversations.isMember(conversationId, me.id))) return refuse('conversation_not_found');
    const blob = await this.blobs.get(blobId);
    if (!blob || !(await this.mayFetch(blob, me.id))) return refuse('not_found');
    const limit = await this.uploadLimit.consume(me.id);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    await this.blobs.addReference(blob.id, conversationId);
    return ok({ blobId: blob.id });
  }

  /** Counts the upload, then checks the bytes are a picture within `maxSide`. */
  private async accept(
    me: UserRecord,
    bytes: Uint8Array,
    maxSide: number,
  ): Promise<{ ok: true; value: ImageInfo } | Refusal<PictureError>> {
    const limit = await this.uploadLimit.consume(me.id);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    const info = sniffImage(bytes);
    if (!info) return refuse('unsupported_media_type');
    if (info.width > maxSide || info.height > maxSide)
      return refuse('invalid_request', `The picture must be at most ${maxSide}×${maxSide} pixels.`);
    return ok(info);
  }

  private async mayFetch(blob: BlobRecord, userId: string): Promise<boolean> {
    if (blob.public || blob.uploadedBy === userId) return true;
    for (const conversationId of await this.blobs.conversationsReferencing(blob.id)) {
      if (await this.conversations.isMember(conversationId, userId)) return true;
    }
    return false;
  }
}

function urlOf(blob: BlobRecord): string {
  return `/api/blobs/${blob.id}`;
}
