/** Account settings calls (`/api/account/*`, docs/API.md): password and email change, my sessions. */
import type { SessionList } from '../../../shared/api.js';
import { api, type ApiClient, type ApiResult } from './api-client.js';

export class AccountClient {
  constructor(private readonly client: ApiClient = api) {}

  /** Needs the current password; the server then signs every other session out and keeps this one. */
  changePassword(currentPassword: string, password: string): Promise<ApiResult<{ ok: true }>> {
    return this.client.request('POST', '/api/account/password', { currentPassword, password });
  }

  /** Mails a confirmation link to `email`; the account keeps its address until the link is used. */
  requestEmailChange(email: string, currentPassword: string): Promise<ApiResult<{ ok: true }>> {
    return this.client.request('POST', '/api/account/email', { email, currentPassword });
  }

  /** Uses the mailed link: the account moves to the new address. No session needed (the link may open in another browser). */
  confirmEmail(token: string): Promise<ApiResult<{ email: string }>> {
    return this.client.request('POST', '/api/auth/confirm-email', { token });
  }

  /** Uses the link mailed to the address the account left: it moves back there, every session ends and a new-password link is mailed. */
  revertEmail(token: string): Promise<ApiResult<{ email: string }>> {
    return this.client.request('POST', '/api/auth/revert-email', { token });
  }

  /** Needs the current password; the server then erases the account and ends every session, this one too. */
  deleteAccount(currentPassword: string): Promise<ApiResult<unknown>> {
    return this.client.request('POST', '/api/account/delete', { currentPassword });
  }

  sessions(): Promise<ApiResult<SessionList>> {
    return this.client.request('GET', '/api/account/sessions');
  }

  endSession(id: string): Promise<ApiResult<unknown>> {
    return this.client.request('DELETE', `/api/account/sessions/${encodeURIComponent(id)}`);
  }

  endOtherSessions(): Promise<ApiResult<{ ended: number }>> {
    return this.client.request('POST', '/api/account/sessions/sign-out-others');
  }
}

export const account = new AccountClient();
