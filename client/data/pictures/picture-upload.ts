/**
 * Uploads one picture to `POST /api/conversations/:id/pictures` with
 * progress (XMLHttpRequest: fetch cannot report upload progress yet). Like
 * the API client, it answers with a result value, never an exception.
 */

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
  /** Called with 0…1 as the bytes go out. */
  onProgress(fraction: number): void;
  signal?: AbortSignal;
}

export type UploadPicture = (request: UploadRequest) => Promise<UploadResult>;

/** The browser's uploader. */
export const uploadPicture: UploadPicture = (request) =>
  new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/conversations/${encodeURIComponent(request.conversationId)}/pictures`);
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
    return { ok: true, picture: { blobId: body.blobId, mime: body.mime, width: body.width, height: body.height } };
  }
  const message =
    body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : `HTTP ${xhr.status}`;
  const retryAfter = Number(xhr.getResponseHeader('Retry-After'));
  return { ok: false, status: xhr.status, message, ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) };
}

function isUploaded(body: unknown): body is UploadedPicture {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.blobId === 'string' && typeof b.mime === 'string' && typeof b.width === 'number' && typeof b.height === 'number';
}
