/**
 * The browser's side of the server search (`GET /api/search`, docs/API.md,
 * "Search"): history this device does not hold. A result value, as in
 * `api-client.ts`; `status: 0` means no network (the device search answers alone).
 */
import type { SearchResponse } from '../../../shared/search-api.js';
import { api, type ApiClient, type ApiResult } from './api-client.js';

export function searchServer(query: string, conversationId?: string, client: ApiClient = api): Promise<ApiResult<SearchResponse>> {
  const params = new URLSearchParams({ q: query });
  if (conversationId) params.set('conversation', conversationId);
  return client.request('GET', `/api/search?${params}`);
}
