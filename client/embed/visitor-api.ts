/**
 * The widget's HTTP calls (docs/API.md, "Widget"): start or resume the
 * visitor, get a sync ticket, tell who the host says the visitor is. The
 * visitor token travels as `Authorization: Bearer …` from the frame's
 * storage; where the browser refuses a third-party frame any storage, the
 * server's partitioned (CHIPS) cookie carries it instead.
 * Results are values, as in the app's `ApiClient`, which does the work.
 */
import type { UploadLimits } from '../../shared/api.js';
import type { VisitorIdentity, WidgetSession } from '../../shared/widget.js';
import type { WidgetUser } from '../../shared/widget-protocol.js';
import { ApiClient, type ApiResult, type Fetch } from '../data/api/api-client.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';
import { UploadLimitsSource } from '../data/api/upload-limits.js';

/** Nothing kept between pages: an upload needs the network anyway, and the frame may have no storage at all. */
const NO_STORAGE: KeyValueStorage = { getItem: () => null, setItem: () => {}, removeItem: () => {} };

/** What the server answers for an uploaded picture (sync-server/blobs/picture-service.ts `SentPicture`). */
export interface UploadedPicture {
  blobId: string;
  mime: string;
  width: number;
  height: number;
}

/** What the server answers for an uploaded file (sync-server/blobs/file-service.ts `SentFile`). */
export interface UploadedFile {
  blobId: string;
  name: string;
  mime: string;
  size: number;
}

export class VisitorApi {
  private limits: UploadLimitsSource | undefined;

  /** `base` is '' in the browser (same origin) and the server's URL in tests. */
  constructor(
    private readonly base = '',
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  /** The server's upload limits (`GET /api/upload-limits`, as the app asks), once per page; the shared defaults while it cannot answer. */
  uploadLimits(): Promise<UploadLimits> {
    this.limits ??= new UploadLimitsSource(this.client(undefined), NO_STORAGE);
    return this.limits.get();
  }

  /**
   * Starts a visitor, or resumes the one behind `token` (or the cookie);
   * `fresh` starts a new one whatever we had. 403 `blocked` or `bad_origin` are refusals.
   */
  session(site: string, hostOrigin: string, token: string | undefined, fresh = false): Promise<ApiResult<WidgetSession>> {
    return this.client(token).request('POST', '/api/widget/session', fresh ? { site, hostOrigin, fresh } : { site, hostOrigin });
  }

  /** A single-use ticket for one sync socket (30 s). */
  ticket(token: string): Promise<ApiResult<{ ticket: string; expiresAt: number }>> {
    return this.client(token).request('POST', '/api/widget/ticket');
  }

  identify(token: string, user: WidgetUser): Promise<ApiResult<VisitorIdentity>> {
    return this.client(token).request('POST', '/api/widget/identify', user);
  }

  /** Sends a picture into the visitor's conversation; the answer names the stored picture. */
  uploadPicture(token: string, picture: Blob): Promise<ApiResult<UploadedPicture>> {
    return this.client(token).request('POST', '/api/widget/pictures', picture);
  }

  /** Sends a file or voice message (any type, FILE_UPLOAD_MAX_BYTES at most) into the visitor's conversation. */
  uploadFile(token: string, file: Blob, name: string): Promise<ApiResult<UploadedFile>> {
    return this.client(token).request('POST', `/api/widget/files?name=${encodeURIComponent(name)}`, file);
  }

  /** A picture, file or voice message of the visitor's conversation, as bytes (members only; the app's URL wants a cookie the frame cannot send). */
  async picture(token: string, blobId: string): Promise<Blob | undefined> {
    try {
      const response = await this.fetchImpl(`${this.base}/api/widget/pictures/${encodeURIComponent(blobId)}`, {
        headers: { Authorization: `Bearer ${token}` },
        credentials: 'same-origin',
      });
      return response.ok ? await response.blob() : undefined;
    } catch {
      // Offline: the caller shows the picture as not loaded and can ask again.
      return undefined;
    }
  }

  private client(token: string | undefined): ApiClient {
    return new ApiClient((path, init) => {
      const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
      if (token) headers.Authorization = `Bearer ${token}`;
      // Same origin as the server: the partitioned visitor cookie goes along, nothing else is set.
      return this.fetchImpl(this.base + path, { ...init, headers, credentials: 'same-origin' });
    });
  }
}
