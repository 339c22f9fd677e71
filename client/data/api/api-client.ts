/**
 * The browser's side of the HTTP API (shared/api.ts). Every call returns a
 * result value: expected failures (validation, wrong password, no network)
 * are data for the UI, never exceptions.
 */
import { wantedLocale } from '../../i18n/localization.js';
import { msg, str } from '@lit/localize';
import type {
  ApiError,
  ConversationView,
  CreateConversationRequest,
  ErrorCode,
  LoginRequest,
  Me,
  RegisterRequest,
} from '../../../shared/api.js';

/** Failures the client adds to the server's codes. */
export type ClientErrorCode = ErrorCode | 'network_error' | 'unexpected_response';

export interface ClientError {
  error: ClientErrorCode;
  message: string;
}

export type ApiResult<T> =
  | { ok: true; status: number; value: T }
  /** `status` is 0 when the server could not be reached. */
  | { ok: false; status: number; error: ClientError };

export const NETWORK_ERROR: ClientError = {
  error: 'network_error',
  get message() {
    return msg('Cannot reach the server. Check your connection and try again.');
  },
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where requests go; tests pass their own. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export class ApiClient {
  constructor(private readonly fetchImpl: Fetch = (input, init) => fetch(input, init)) {}

  me(): Promise<ApiResult<Me>> {
    return this.request('GET', '/api/me');
  }

  register(body: RegisterRequest): Promise<ApiResult<{ ok: true }>> {
    return this.request('POST', '/api/auth/register', body);
  }

  /** Activates the account and signs in (the session cookie comes with the answer). */
  activate(token: string): Promise<ApiResult<Me>> {
    return this.request('POST', '/api/auth/activate', { token });
  }

  resendActivation(email: string): Promise<ApiResult<unknown>> {
    return this.request('POST', '/api/auth/resend', { email });
  }

  /** Asks for a password reset mail; the server answers 200 whether or not the account exists. */
  requestPasswordReset(email: string): Promise<ApiResult<unknown>> {
    return this.request('POST', '/api/auth/reset-request', { email });
  }

  /** Sets a new password with the mailed token; the server then ends every session of the person. */
  resetPassword(token: string, password: string): Promise<ApiResult<unknown>> {
    return this.request('POST', '/api/auth/reset', { token, password });
  }

  login(body: LoginRequest): Promise<ApiResult<Me>> {
    return this.request('POST', '/api/auth/login', body);
  }

  logout(): Promise<ApiResult<unknown>> {
    return this.request('POST', '/api/auth/logout');
  }

  createConversation(body: CreateConversationRequest): Promise<ApiResult<{ id: string }>> {
    return this.request('POST', '/api/conversations', body);
  }

  listConversations(): Promise<ApiResult<ConversationView[]>> {
    return this.request('GET', '/api/conversations');
  }

  /**
   * One request; the response body is trusted to match the contract. A Blob
   * body (a picture) is sent as raw bytes with its own type, anything else as JSON.
   */
  async request<T>(method: HttpMethod, path: string, body?: unknown): Promise<ApiResult<T>> {
    // The server answers errors (and writes mails) in the language the app speaks, which may differ from the browser's.
    const init: RequestInit = {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': wantedLocale() },
    };
    if (body instanceof Blob) {
      init.headers = { ...init.headers, 'Content-Type': body.type || 'application/octet-stream' };
      init.body = body;
    } else if (body !== undefined) {
      init.headers = { ...init.headers, 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(path, init);
    } catch {
      return { ok: false, status: 0, error: NETWORK_ERROR };
    }
    const parsed = await readJson(response);
    if (response.ok) return { ok: true, status: response.status, value: parsed as T };
    return { ok: false, status: response.status, error: asClientError(parsed, response.status) };
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function asClientError(body: unknown, status: number): ClientError {
  if (isApiError(body)) return { error: body.error, message: body.message };
  // A proxy or a service worker answered instead of our server (e.g. 502 while it restarts).
  if (status >= 500) return { error: 'network_error', message: msg('The server is not available right now. Try again soon.') };
  return { error: 'unexpected_response', message: msg(str`Unexpected answer from the server (HTTP ${status}).`) };
}

function isApiError(body: unknown): body is ApiError {
  if (!body || typeof body !== 'object') return false;
  const record = body as Record<string, unknown>;
  return typeof record.error === 'string' && typeof record.message === 'string';
}

/** The app's one client. */
export const api = new ApiClient();
