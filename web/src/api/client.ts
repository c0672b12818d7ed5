// The one way the workbench talks to the ctip server (docs/api.md). Same origin, relative
// URLs; the session is the HttpOnly cookie `ctip_session`, and every state-changing request
// carries `X-CSRF-Token` with the token from POST /session or GET /me.

import type { paths } from './schema';

export const API_BASE = '/api/v1';

/** A failed request, as the server describes it: {"error":{"code","message","field"}}. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** Seconds to wait, from the Retry-After header of a 429 answer. */
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | undefined | null): void {
  csrfToken = token ?? '';
}

/** Called when a request (other than the login itself) answers 401: the session ended. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return undefined;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code = 'http_' + response.status;
  let message = response.statusText || 'Request failed';
  let field: string | undefined;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; field?: string } };
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      field = body.error.field || undefined;
    }
  } catch {
    // Not JSON (a proxy error page, say): keep the status text.
  }
  return new ApiError(response.status, code, message, field, parseRetryAfter(response.headers.get('Retry-After')));
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : 'Network error');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && path !== '/session' && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}


// ---- Typed calls, from the generated contract (src/api/schema.d.ts, docs/openapi.yaml) -------
// `api.get('/users')` returns the documented 200 body of GET /users; a path, query or body the
// document does not allow is a type error, so the web cannot drift from the API.
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
/** The documented paths that take method M. */
export type PathsFor<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
/** The body of the operation's success answer (200, 201, or none for 204). */
export type Answer<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonOf<R[200]>
    : 201 extends keyof R
      ? JsonOf<R[201]>
      : undefined
  : never;
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type ParamsOf<O, K extends 'path' | 'query'> = O extends { parameters: { [k in K]?: infer V } } ? V : never;

export interface CallOptions<O> {
  path?: ParamsOf<O, 'path'>;
  query?: ParamsOf<O, 'query'>;
  body?: BodyOf<O>;
}

function urlOf(template: string, path?: object, query?: object): string {
  let url = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (path as Record<string, unknown> | undefined)?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} of ${template}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const qs = search.toString();
  if (qs) url += '?' + qs;
  return url;
}

function call<M extends Method>(method: M) {
  return <P extends PathsFor<M>>(path: P, options: CallOptions<Operation<P, M>> = {}) =>
    request<Answer<Operation<P, M>>>(
      method.toUpperCase(),
      urlOf(path, options.path as object | undefined, options.query as object | undefined),
      options.body ?? (method === 'post' ? {} : undefined),
    );
}

export const api = {
  get: call('get'),
  post: call('post'),
  put: call('put'),
  patch: call('patch'),
  delete: call('delete'),
};
