/**
 * File and voice message uploads (issue 15): `POST /api/conversations/:id/files?name=<name>`
 * with the raw bytes and their `Content-Type`, at most FILE_UPLOAD_MAX_BYTES;
 * downloads go through `/api/blobs/:id` (picture-routes.ts `sendBlob`). The
 * widget's visitor uploads the same way (widget-routes.ts). The rules are in
 * `blobs/file-service.ts`. `GET /api/upload-limits` tells the app the limits
 * before it sends anything (shared/api.ts `UploadLimits`).
 */
import express, { type Request, type RequestHandler, Router } from 'express';
import type { UploadLimits } from '../../shared/api.js';
import type { FileService } from '../blobs/file-service.js';
import { sendError } from './errors.js';
import { bytesOf } from './picture-routes.js';
import { signedIn } from './require-session.js';
import { respond } from './respond.js';

export interface FileRouteParts {
  requireSession: RequestHandler;
  files: FileService;
  fileUploadMaxBytes: number;
  /** UPLOAD_MAX_BYTES, the pictures' limit, told to the app beside the files' own. */
  pictureUploadMaxBytes: number;
}

export function fileRoutes({ requireSession, files, fileUploadMaxBytes, pictureUploadMaxBytes }: FileRouteParts): Router {
  const router = Router();
  router.get('/upload-limits', (_req, res) => {
    const limits: UploadLimits = { fileMaxBytes: fileUploadMaxBytes, pictureMaxBytes: pictureUploadMaxBytes };
    res.json(limits);
  });
  router.post('/conversations/:id/files', requireSession, fileBody(fileUploadMaxBytes), async (req, res) => {
    respond(res, await files.addToConversation(signedIn(res).user, String(req.params.id), bytesOf(req), declaredOf(req)), 201);
  });
  return router;
}

/** The raw body of any type up to `maxBytes`; a larger one is refused with the limit in words, before it is read whole. */
export function fileBody(maxBytes: number): RequestHandler {
  const raw = express.raw({ type: () => true, limit: maxBytes });
  return (req, res, next) =>
    raw(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type !== 'entity.too.large') return next(error);
      sendError(res, 'payload_too_large', `The file is larger than ${sizeInWords(maxBytes)}, the most that can be sent.`);
    });
}

/** The name (query `name`) and type (`Content-Type`) the sender declares. */
export function declaredOf(req: Request): { name: string | undefined; type: string | undefined } {
  return { name: typeof req.query.name === 'string' ? req.query.name : undefined, type: req.headers['content-type'] };
}

function sizeInWords(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
