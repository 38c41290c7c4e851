import { OuraProtocolError, OuraTimeoutError, OuraUpstreamError } from './errors.ts';
import { type Exchange, exchange, type ResponseHeaders } from './transport.ts';

export type { ResponseHeaders } from './transport.ts';

/**
 * One HTTP attempt against the Oura API. Failures where no usable response arrived become typed
 * errors here (timeout, network, truncated or non-JSON body); HTTP statuses are returned for the
 * caller to map, since what a 401 or 429 means depends on what it will try next.
 */

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON body (2xx), or the best-effort parsed error body (undefined if none). */
  body: unknown;
  /** Raw text of a non-2xx body, for error messages. */
  text: string;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** 'none': a 2xx body is not parsed (endpoints that answer with empty or plain text). */
  expect?: 'json' | 'none';
}

const SECRET_PARAMS = ['access_token', 'refresh_token', 'code', 'client_secret'];

/** Path and query for messages and logs: no origin, and secrets in the query masked. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  for (const name of SECRET_PARAMS) if (u.searchParams.has(name)) u.searchParams.set(name, '***');
  return `${u.pathname}${u.search}`;
}

export async function sendRequest(req: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const method = req.method ?? 'GET';
  const what = `${method} ${describeUrl(req.url)}`;

  const failed = (err: unknown, stage: 'connect' | 'body') => {
    // The caller's own cancellation is not an Oura failure: surface it unchanged.
    if (req.signal?.aborted) return req.signal.reason;
    if (timeout.aborted) {
      return new OuraTimeoutError(`${what}: no complete response within ${req.timeoutMs} ms`, {
        timeoutMs: req.timeoutMs,
        cause: err,
      });
    }
    if (stage === 'body') {
      return new OuraProtocolError(`${what}: response body ended early (${errorText(err)})`, {
        cause: err,
      });
    }
    return new OuraUpstreamError(`${what}: could not reach Oura (${errorText(err)})`, {
      code: 'network_error',
      cause: err,
    });
  };

  let res: Exchange;
  try {
    res = await exchange({
      method,
      url: req.url,
      signal,
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
  } catch (err) {
    throw failed(err, 'connect');
  }
  let text: string;
  try {
    text = await res.body();
  } catch (err) {
    throw failed(err, 'body');
  }

  if (res.status >= 200 && res.status < 300) {
    if (req.expect === 'none')
      return { status: res.status, headers: res.headers, body: undefined, text };
    try {
      return { status: res.status, headers: res.headers, body: JSON.parse(text), text: '' };
    } catch (err) {
      throw new OuraProtocolError(
        `${what}: response is not complete JSON (${text.length} bytes: ${snippet(text)})`,
        { status: res.status, cause: err },
      );
    }
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/**
 * The human part of an error body. Recorded live bodies are FastAPI-style `{"detail": ...}`
 * (a string, or `[{loc, msg}]` for 422); [ERR] documents RFC 7807 `{status, title, detail}`;
 * the OAuth endpoints answer `{error, error_description}`.
 */
export function errorDetail(res: Pick<HttpResponse, 'body' | 'text'>): string {
  const b = res.body;
  if (typeof b === 'object' && b !== null) {
    const rec = b as Record<string, unknown>;
    const detail = rec.detail;
    if (typeof detail === 'string') {
      return typeof rec.title === 'string' ? `${rec.title}: ${detail}` : detail;
    }
    if (Array.isArray(detail)) {
      return detail
        .map((d) => {
          if (typeof d !== 'object' || d === null) return String(d);
          const item = d as Record<string, unknown>;
          const loc = Array.isArray(item.loc) ? item.loc.join('.') : '';
          const msg = typeof item.msg === 'string' ? item.msg : JSON.stringify(item);
          return loc ? `${loc}: ${msg}` : msg;
        })
        .join('; ');
    }
    if (typeof rec.error === 'string') {
      return typeof rec.error_description === 'string'
        ? `${rec.error}: ${rec.error_description}`
        : rec.error;
    }
    if (typeof rec.title === 'string') return rec.title;
  }
  return res.text ? snippet(res.text) : '(empty body)';
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
