/** The app's upload limits from a real server (FILE_UPLOAD_MAX_BYTES set low), remembered for a start without network. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILE_UPLOAD_MAX_BYTES } from '../../../shared/limits.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { ApiClient } from './api-client.js';
import { UploadLimitsSource } from './upload-limits.js';

const test = useTestServer({ fileUploadMaxBytes: 4096, uploadMaxBytes: 8192 });

/** The app's client against the test server, or against a port nothing listens on (offline). */
function client(online: () => boolean): ApiClient {
  return new ApiClient((path, init) => fetch((online() ? test.server.url : 'http://127.0.0.1:9') + path, init));
}

describe('upload limits', () => {
  it("are the server's, remembered for an offline start; the defaults on a device that never asked", async () => {
    let online = true;
    const storage = memoryStorage();
    expect(
      await new UploadLimitsSource(
        client(() => online),
        storage,
      ).get(),
    ).toEqual({ fileMaxBytes: 4096, pictureMaxBytes: 8192 });
    online = false;
    const offline = new UploadLimitsSource(
      client(() => online),
      storage,
    );
    expect((await offline.get()).fileMaxBytes).toBe(4096);
    expect(
      (
        await new UploadLimitsSource(
          client(() => online),
          memoryStorage(),
        ).get()
      ).fileMaxBytes,
    ).toBe(DEFAULT_FILE_UPLOAD_MAX_BYTES);
    // Back online, the same source asks again (an offline answer is not kept).
    online = true;
    storage.data.clear();
    expect((await offline.get()).fileMaxBytes).toBe(4096);
    expect(storage.data.size).toBe(1);
  });
});
