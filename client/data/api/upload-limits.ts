/**
 * The server's upload limits (`GET /api/upload-limits`, FILE_UPLOAD_MAX_BYTES
 * and UPLOAD_MAX_BYTES): asked once per page, remembered on this device for a
 * start without network, the shared defaults before either. The composer
 * refuses a larger file with them before it is sent or queued, instead of
 * after the whole upload (issue 15).
 */
import type { UploadLimits } from '../../../shared/api.js';
import { DEFAULT_FILE_UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_MAX_BYTES } from '../../../shared/limits.js';
import { api, type ApiClient } from './api-client.js';
import type { KeyValueStorage } from '../key-value-storage.js';

const STORAGE_KEY = 'happychat.upload-limits';
const DEFAULTS: UploadLimits = { fileMaxBytes: DEFAULT_FILE_UPLOAD_MAX_BYTES, pictureMaxBytes: DEFAULT_UPLOAD_MAX_BYTES };

/** Whether an answer (or what was stored) is a pair of positive whole byte counts. */
function isUploadLimits(value: unknown): value is UploadLimits {
  if (typeof value !== 'object' || value === null) return false;
  const { fileMaxBytes, pictureMaxBytes } = value as Record<string, unknown>;
  return [fileMaxBytes, pictureMaxBytes].every((n) => Number.isSafeInteger(n) && (n as number) > 0);
}

export class UploadLimitsSource {
  private asked: Promise<UploadLimits> | undefined;

  constructor(
    private readonly client: Pick<ApiClient, 'request'>,
    private readonly storage: KeyValueStorage,
  ) {}

  /** The limits: the server's answer this page, else the last one this device had, else the defaults. */
  get(): Promise<UploadLimits> {
    this.asked ??= this.ask();
    return this.asked;
  }

  private async ask(): Promise<UploadLimits> {
    const answer = await this.client.request<UploadLimits>('GET', '/api/upload-limits');
    if (answer.ok && isUploadLimits(answer.value)) {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(answer.value));
      return answer.value;
    }
    // Offline (or an old server): ask again next time, meanwhile what this device knew.
    this.asked = undefined;
    return this.remembered() ?? DEFAULTS;
  }

  private remembered(): UploadLimits | undefined {
    try {
      const stored: unknown = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? 'null');
      return isUploadLimits(stored) ? stored : undefined;
    } catch {
      return undefined;
    }
  }
}

let appSource: UploadLimitsSource | undefined;

/** The app's limits (the browser's localStorage). */
export function uploadLimits(): Promise<UploadLimits> {
  appSource ??= new UploadLimitsSource(api, localStorage);
  return appSource.get();
}
