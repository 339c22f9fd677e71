/** Headers on every response; HSTS only when the public URL is https (issue 20). */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.js';
import { startTestServer } from '../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';

const running: Array<{ server: RunningServer; dataDir: string }> = [];

afterEach(async () => {
  for (const { server, dataDir } of running.splice(0)) {
    await server.close();
    await removeDir(dataDir);
  }
});

async function serverAt(publicUrl: string | undefined): Promise<RunningServer> {
  const dataDir = await makeTempDir();
  const server = await startTestServer({ dataDir, ...(publicUrl ? { publicUrl } : {}) });
  running.push({ server, dataDir });
  return server;
}

describe('Strict-Transport-Security', () => {
  it('is sent on every response when PUBLIC_URL is https', async () => {
    const server = await serverAt('https://chat.example');
    for (const route of ['/api/health', '/api/nothing-here', '/some/page']) {
      const response = await fetch(server.url + route);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
    }
  });

  it('is not sent when PUBLIC_URL is http (development): it would pin localhost to https', async () => {
    const server = await serverAt(undefined);
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
