/** The dashboard's only way to the data: typed GETs and POSTs against the JSON API. */

export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
  }
}

let csrfToken = '';

/** The token /api/me hands out; every POST/DELETE sends it in `x-csrf-token`. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  signal?: AbortSignal,
  body?: unknown,
): Promise<T> {
  let response: Response;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'offline', 'The Snowtorch server cannot be reached.');
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const err = (answer as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiRequestError(
      response.status,
      err?.code ?? 'http_error',
      err?.message ?? `The server answered ${response.status}.`,
    );
  }
  return answer as T;
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, signal);
}

export function postJson<T>(path: string, body?: unknown): Promise<T> {
  return request<T>('POST', path, undefined, body);
}

export function deleteJson<T>(path: string): Promise<T> {
  return request<T>('DELETE', path);
}

export function putJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PUT', path, undefined, body);
}
