/**
 * Error responses in the shapes Oura's API uses. Recorded live bodies are FastAPI-style
 * `{"detail": ...}` (NOTES "Rate limits and errors"); 422 bodies follow the spec's
 * `HTTPValidationError` ({detail: [{loc, msg, type, input, ctx}]}).
 */

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

/** An HTTP error the simulator answers with, body and headers exactly as sent. */
export class SimHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' && body !== null ? JSON.stringify(body) : String(body));
    this.name = 'SimHttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** 400: query parameter validation error (spec "Oura HTTP Response Codes"). */
export function badRequest(detail: string): SimHttpError {
  return new SimHttpError(400, { detail });
}

/** 401: missing, invalid, expired or revoked access token. */
export function unauthorized(detail: string): SimHttpError {
  return new SimHttpError(401, { detail }, { 'www-authenticate': 'Bearer' });
}

/** 403: the token's granted scopes do not include the route's scope. */
export function forbidden(detail: string): SimHttpError {
  return new SimHttpError(403, { detail });
}

/** 404 body recorded from the live API (tgrk/ex_oura fixtures). */
export function documentNotFound(): SimHttpError {
  return new SimHttpError(404, { detail: 'Document not found.' });
}

/** 422 in the spec's `HTTPValidationError` shape. */
export function validationFailed(issues: ValidationIssue[]): SimHttpError {
  return new SimHttpError(422, { detail: issues });
}

/** 422 with a plain string detail, as recorded for a start after the end. */
export function startAfterEnd(): SimHttpError {
  return new SimHttpError(422, { detail: 'Start date must be before end date' });
}

/** OAuth 2.0 token-endpoint error (RFC 6749 section 5.2). */
export function oauthError(status: number, error: string, description?: string): SimHttpError {
  return new SimHttpError(
    status,
    description === undefined ? { error } : { error, error_description: description },
    { 'cache-control': 'no-store' },
  );
}
