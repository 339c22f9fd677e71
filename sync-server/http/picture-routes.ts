/**
 * Picture uploads and downloads. The type is read from the bytes (PNG,
 * JPEG, GIF, WebP), the size is bounded, and each picture is stored once.
 * Avatars and group pictures are visible to every signed-in person.
 */
import express, { Router, type Request, type Response } from 'express';
import { AVATAR_MAX_SIDE } from '../../shared/limits.js';
import type { BlobRecord } from '../blobs/blob-store.js';
import { sniffImage, type ImageInfo } from '../blobs/image-type.js';
import type { ServerContext } from '../context.js';
import { sendError, sendRateLimited } from './errors.js';
import { requireSession, signedIn } from './require-session.js';
import { respond } from './respond.js';

/** Avatars are scaled down by the client; the server refuses anything much larger. */
const AVATAR_SIDE_LIMIT = AVATAR_MAX_SIDE * 2;
/** Photos are scaled to 2048 px by the client; larger ones are refused. */
const PICTURE_SIDE_LIMIT = 4096;

export function pictureRoutes(ctx: ServerContext): Router {
  const router = Router();
  const session = requireSession(ctx);
  const rawImage = express.raw({ type: () => true, limit: ctx.config.uploadMaxBytes });

  /** Reads and checks an uploaded picture; answers the refusal itself and returns undefined. */
  function acceptPicture(req: Request, res: Response, maxSide: number): { bytes: Uint8Array; info: ImageInfo } | undefined {
    const limit = ctx.limits.uploads.consume(signedIn(res).user.id);
    if (!limit.allowed) {
      sendRateLimited(res, limit.retryAfterSeconds);
      return undefined;
    }
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    const info = sniffImage(bytes);
    if (!info) {
      sendError(res, 415, 'unsupported_media_type');
      return undefined;
    }
    if (info.width > maxSide || info.height > maxSide) {
      sendError(res, 400, 'invalid_request', `The picture must be at most ${maxSide}×${maxSide} pixels.`);
      return undefined;
    }
    return { bytes, info };
  }

  router.post('/me/avatar', session, rawImage, async (req, res) => {
    const picture = acceptPicture(req, res, AVATAR_SIDE_LIMIT);
    if (!picture) return;
    const me = signedIn(res).user;
    const blob = await ctx.blobs.put(picture.bytes, picture.info, me.id, true);
    const avatar = `/api/blobs/${blob.id}`;
    await ctx.profiles.update(me, { avatar });
    res.status(201).json({ avatar });
  });

  router.post('/conversations/:id/avatar', session, rawImage, async (req, res) => {
    const me = signedIn(res).user;
    // Asked before anything is stored: someone who may not change the picture leaves no file behind.
    const allowed = await ctx.groups.mayUpdate(me, String(req.params.id));
    if (!allowed.ok) return respond(res, allowed);
    const picture = acceptPicture(req, res, AVATAR_SIDE_LIMIT);
    if (!picture) return;
    const blob = await ctx.blobs.put(picture.bytes, picture.info, me.id, true);
    const avatar = `/api/blobs/${blob.id}`;
    const outcome = await ctx.groups.update(me, String(req.params.id), { avatar });
    if (!outcome.ok) return respond(res, outcome);
    res.status(201).json({ avatar });
  });

  /** A picture for a message in a conversation: only its members may send and fetch it. */
  router.post('/conversations/:id/pictures', session, rawImage, async (req, res) => {
    const me = signedIn(res).user;
    const conversationId = String(req.params.id);
    if (!(await ctx.conversationStore.isMember(conversationId, me.id))) return sendError(res, 404, 'conversation_not_found');
    const picture = acceptPicture(req, res, PICTURE_SIDE_LIMIT);
    if (!picture) return;
    const blob = await ctx.blobs.put(picture.bytes, picture.info, me.id, false);
    await ctx.blobs.addReference(blob.id, conversationId);
    res.status(201).json({ blobId: blob.id, url: `/api/blobs/${blob.id}`, mime: blob.mime, width: blob.width, height: blob.height, size: blob.size });
  });

  router.get('/blobs/:id', session, async (req, res) => {
    const blob = await ctx.blobs.get(String(req.params.id));
    const me = signedIn(res).user;
    if (!blob || !(await mayFetch(blob, me.id))) return sendError(res, 404, 'not_found');
    res.setHeader('Content-Type', blob.mime);
    // Content-addressed: the bytes behind this URL never change.
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.send(await ctx.blobs.read(blob.id));
  });

  async function mayFetch(blob: BlobRecord, userId: string): Promise<boolean> {
    if (blob.public || blob.uploadedBy === userId) return true;
    for (const conversationId of await ctx.blobs.conversationsReferencing(blob.id)) {
      if (await ctx.conversationStore.isMember(conversationId, userId)) return true;
    }
    return false;
  }

  return router;
}
