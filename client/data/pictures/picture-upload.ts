/**
 * Uploads one picture to `POST /api/conversations/:id/pictures`, or a file
 * or voice message to `POST /api/conversations/:id/files?name=…`, with
 * progress (XMLHttpRequest: fetch cannot report upload progress yet). Like
 * the API client, it answers with a result value, never an exception.
 */

/** The server's answer: the stored blob and its type (as the server stored it: a file's without parameters); a picture's sides. */
export interface UploadedPicture {
  blobId: string;
  mime: string;
  width: number;
  height: number;
}

export type UploadResult =
  | { ok: true; picture: UploadedPicture }
  /** `status` 0: no network; `retryAfterSeconds` from a 429. */
  | { ok: false; status: number; message: string; retryAfterSeconds?: number };

export interface UploadRequest {
  conversationId: string;
  bytes: ArrayBuffer;
  mime: string;
  /** Set for a file or voice message: its name, sent with it. */
  fileName?: string;
  /** Called with 0…1 as the bytes go out. */
  onProgress(fraction: number): void;
  signal?: AbortSignal;
}

export type UploadPicture = (request: UploadRequest) => Promise<UploadResult>;

/** The browser's uploader. */
export const uploadPicture: UploadPicture = (request) =>
  new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const conversation = `/api/conversations/${encodeURIComponent(request.conversationId)}`;
    xhr.open(
      'POST',
      request.fileName === undefined ? `${conversation}/pictures` : `${conversation}/files?name=${encodeURIComponent(request.fileName)}`,
    );
    xhr.setRequestHeader('Content-Type', request.mime);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) request.onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve(readAnswer(xhr));
    xhr.onerror = () => resolve({ ok: false, status: 0, message: 'no network' });
    xhr.onabort = () => resolve({ ok: false, status: 0, message: 'cancelled' });
    request.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(request.bytes);
  });

function readAnswer(xhr: XMLHttpRequest): UploadResult {
  const body: unknown = xhr.response;
  if (xhr.status === 201 && isUploaded(body)) {
    return { ok: true, picture: { blobId: body.blobId, mime: body.mime, width: body.width ?? 0, height: body.height ?? 0 } };
  }
  const message =
    body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : `HTTP ${xhr.status}`;
  const retryAfter = Number(xhr.getResponseHeader('Retry-After'));
  return { ok: false, status: xhr.status, message, ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) };
}

/** A picture's answer has its sides, a file's (blobs/file-service.ts `SentFile`) its name instead. */
function isUploaded(body: unknown): body is Pick<UploadedPicture, 'blobId' | 'mime'> & Partial<UploadedPicture> {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  const sides = typeof b.width === 'number' && typeof b.height === 'number';
  return typeof b.blobId === 'string' && typeof b.mime === 'string' && (sides || typeof b.name === 'string');
}
