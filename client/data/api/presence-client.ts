/** Presence calls (`/api/presence`, docs/API.md "Presence"): my friends' online state and last seen, and who may see mine. */
import type { LastSeenAudience, PresenceAnswer } from '../../../shared/presence.js';
import { api, type ApiClient, type ApiResult } from './api-client.js';

export class PresenceClient {
  constructor(private readonly client: ApiClient = api) {}

  presence(): Promise<ApiResult<PresenceAnswer>> {
    return this.client.request('GET', '/api/presence');
  }

  setLastSeen(lastSeen: LastSeenAudience): Promise<ApiResult<{ lastSeen: LastSeenAudience }>> {
    return this.client.request('PUT', '/api/presence/settings', { lastSeen });
  }
}

export const presenceApi = new PresenceClient();
