/**
 * The browser's side of a site owner's widget settings (`/api/sites`,
 * docs/API.md, "Widget"). Results are values, as in `api-client.ts`; the
 * server validates (`shared/widget.ts`), so no zod here.
 */
import type { PersonSummary } from '../../../shared/schema.js';
import type { SiteView } from '../../../shared/widget.js';
import { api, type ApiClient, type ApiResult } from './api-client.js';

/** What the owner edits: the body of `POST /api/sites` and `PATCH /api/sites/:key`. */
export interface SiteInput {
  name: string;
  origins: string[];
  greeting: string;
  color: string;
  position: 'right' | 'left';
}

const path = encodeURIComponent;

export class SiteClient {
  constructor(private readonly client: ApiClient = api) {}

  list(): Promise<ApiResult<SiteView[]>> {
    return this.client.request('GET', '/api/sites');
  }

  /** The answer carries the secret, this once. */
  create(site: SiteInput): Promise<ApiResult<SiteView>> {
    return this.client.request('POST', '/api/sites', site);
  }

  update(key: string, change: Partial<SiteInput>): Promise<ApiResult<SiteView>> {
    return this.client.request('PATCH', `/api/sites/${path(key)}`, change);
  }

  remove(key: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/sites/${path(key)}`);
  }

  /** Blocks the visitor of a widget conversation: their token stops working and their chat is cut off. */
  blockVisitorOf(conversationId: string): Promise<ApiResult<unknown>> {
    return this.client.request('POST', `/api/conversations/${path(conversationId)}/block-visitor`);
  }

  /** A new secret (shown once); identity hashes made with the old one stop verifying. */
  rotateSecret(key: string): Promise<ApiResult<SiteView>> {
    return this.client.request('POST', `/api/sites/${path(key)}/secret`);
  }

  setTeam(key: string, userIds: string[]): Promise<ApiResult<SiteView>> {
    return this.client.request('PUT', `/api/sites/${path(key)}/team`, { userIds });
  }

  blockVisitor(key: string, guestId: string): Promise<ApiResult<unknown>> {
    return this.client.request('POST', `/api/sites/${path(key)}/visitors/${path(guestId)}/block`);
  }

  /** Teammates are picked from my friends. */
  friends(): Promise<ApiResult<PersonSummary[]>> {
    return this.client.request('GET', '/api/friends');
  }
}

/** The snippet a site owner pastes into their pages. */
export function widgetSnippet(chatOrigin: string, key: string): string {
  return `<script type="module" src="${chatOrigin}/widget.js" data-site="${key}"></script>`;
}

/** Allowed origins from the form's text: one per line (or separated by spaces or commas), trailing slashes dropped. */
export function parseOrigins(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((line) => line.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    ),
  ];
}

export const sites = new SiteClient();
