/**
 * Picture uploads and downloads over HTTP: raw bodies up to UPLOAD_MAX_BYTES
 * in; pictures and files (file-routes.ts) out with headers that keep them
 * from ever running as a page. The rules are in `blobs/picture-service.ts`.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { attachmentDisposition, servedFileType } from '../blobs/declared-file.js';
import type { PictureService, StoredBlob } from '../blobs/picture-service.js';
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

  // Forwarding (issue 15): a picture or file already sent elsewhere, shared with this conversation by reference.
  router.post('/conversations/:id/forwarded-blobs', requireSession, async (req, res) => {
    const blobId: unknown = req.body?.blobId;
    if (typeof blobId !== 'string' || blobId.length > 128) return sendError(res, 'invalid_request');
    respond(res, await pictures.forwardToConversation(signedIn(res).user, String(req.params.id), blobId), 201);
  });

  router.get('/blobs/:id', requireSession, async (req, res) => {
    sendBlob(res, await pictures.fetch(signedIn(res).user, String(req.params.id)), downloadNameOf(req));
  });

  return router;
}

/**
 * Stored bytes with headers that keep them from ever running as a page
 * (`nosniff` comes with every response, security-headers.ts): a picture
 * (its type read from its bytes) inline, a file, or anything asked for with
 * `?download=<name>`, as an attachment of a type no browser runs
 * (blobs/declared-file.ts). 404 for none (or not yours).
 */
export function sendBlob(res: Response, blob: StoredBlob | undefined, downloadName?: string): void {
  if (!blob) return sendError(res, 'not_found');
  const asFile = blob.fileName !== undefined || downloadName !== undefined;
  res.setHeader('Content-Type', asFile ? servedFileType(blob.mime) : blob.mime);
  if (asFile) res.setHeader('Content-Disposition', attachmentDisposition(downloadName ?? blob.fileName ?? 'file'));
  // Content-addressed: the bytes behind this URL never change.
  res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.send(blob.bytes);
}

/** The `download` query parameter: the name the person's message gives the file (made safe by attachmentDisposition). */
export function downloadNameOf(req: Request): string | undefined {
  const name = req.query.download;
  return typeof name === 'string' ? name : undefined;
}

/** The raw body of an upload (express.raw), as bytes. */
export function bytesOf(req: Request): Uint8Array {
  return Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
}
