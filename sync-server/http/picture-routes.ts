/**
 * Picture uploads and downloads over HTTP: raw bodies up to UPLOAD_MAX_BYTES
 * in, bytes out with headers that keep a picture from ever running as a page.
 * The rules are in `blobs/picture-service.ts`.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { PictureService } from '../blobs/picture-service.js';
import { sendError } from './errors.js';
import { signedIn } from './require-session.js';
import { respond } from './respond.js';

export interface PictureRouteParts {
  requireSession: RequestHandler;
  pictures: PictureService;
  uploadMaxBytes: number;
}

export function pictureRoutes({ requireSession, pictures, uploadMaxBytes }: PictureRouteParts): Router {
  const router = Router();
  const rawImage = express.raw({ type: () => true, limit: uploadMaxBytes });

  router.post('/me/avatar', requireSession, rawImage, async (req, res) => {
    respond(res, await pictures.setAvatar(signedIn(res).user, bytesOf(req)), 201);
  });

  router.post('/conversations/:id/avatar', requireSession, rawImage, async (req, res) => {
    respond(res, await pictures.setGroupPicture(signedIn(res).user, String(req.params.id), bytesOf(req)), 201);
  });

  router.post('/conversations/:id/pictures', requireSession, rawImage, async (req, res) => {
    respond(res, await pictures.addToConversation(signedIn(res).user, String(req.params.id), bytesOf(req)), 201);
  });

  router.get('/blobs/:id', requireSession, async (req, res) => {
    sendPicture(res, await pictures.fetch(signedIn(res).user, String(req.params.id)));
  });

  return router;
}

/** A picture's bytes with headers that keep it from ever running as a page; 404 for none (or not yours). */
export function sendPicture(res: Response, picture: { mime: string; bytes: Buffer } | undefined): void {
  if (!picture) return sendError(res, 'not_found');
  res.setHeader('Content-Type', picture.mime);
  // Content-addressed: the bytes behind this URL never change.
  res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.send(picture.bytes);
}

/** The raw body of an upload (express.raw), as bytes. */
export function bytesOf(req: Request): Uint8Array {
  return Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
}
