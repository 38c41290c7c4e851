/**
 * Typed errors for everything that can go wrong talking to Oura. Every error carries the HTTP
 * `status` (null when no response arrived) and a stable `code` that the JSON API and the CLI
 * show to users. Status meanings follow spec 1.37 "Error handling" (see NOTES "Rate limits and
 * errors").
 */

export interface OuraErrorOptions {
  status?: number | null;
  code: string;
  cause?: unknown;
}

export class OuraError extends Error {
  readonly status: number | null;
  readonly code: string;
  constructor(message: string, opts: OuraErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'OuraError';
    this.status = opts.status ?? null;
    this.code = opts.code;
  }
}

/**
 * 401 (token invalid, expired or revoked) or an OAuth `invalid_grant`. `reconnectNeeded` means
 * the stored grant is dead and the user has to run `snowtorch connect` again.
 */
export class OuraAuthError extends OuraError {
  readonly reconnectNeeded: boolean;
  constructor(
    message: string,
    opts: { status?: number | null; code?: string; reconnectNeeded: boolean; cause?: unknown },
  ) {
    super(message, {
      status: opts.status ?? null,
      code: opts.code ?? (opts.reconnectNeeded ? 'reconnect_needed' : 'unauthorized'),
      cause: opts.cause,
    });
    this.name = 'OuraAuthError';
    this.reconnectNeeded = opts.reconnectNeeded;
  }
}

/** 403: the grant lacks the route's scope, or the user's Oura membership expired. */
export class OuraScopeError extends OuraError {
  constructor(message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, { status: opts.status ?? 403, code: 'scope_missing', cause: opts.cause });
    this.name = 'OuraScopeError';
  }
}

export class OuraNotFoundError extends OuraError {
  constructor(message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, { status: opts.status ?? 404, code: 'not_found', cause: opts.cause });
    this.name = 'OuraNotFoundError';
  }
}

/** 400 / 422: Oura rejected the query (or the client refused to send an impossible one). */
export class OuraValidationError extends OuraError {
  constructor(message: string, opts: { status?: number | null; cause?: unknown } = {}) {
    super(message, { status: opts.status ?? null, code: 'invalid_request', cause: opts.cause });
    this.name = 'OuraValidationError';
  }
}

/** 426: the user's Oura app is too old to share this data type [UPG]. */
export class OuraAppUpdateError extends OuraError {
  constructor(message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, { status: opts.status ?? 426, code: 'app_update_required', cause: opts.cause });
    this.name = 'OuraAppUpdateError';
  }
}

/** 429 after the retry budget ran out (or a Retry-After longer than we are willing to wait). */
export class OuraRateLimitError extends OuraError {
  readonly retryAfterSeconds: number | null;
  constructor(message: string, opts: { retryAfterSeconds: number | null; cause?: unknown }) {
    super(message, { status: 429, code: 'rate_limited', cause: opts.cause });
    this.name = 'OuraRateLimitError';
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** 5xx, or no response at all (connection refused/reset: status null, code `network_error`). */
export class OuraUpstreamError extends OuraError {
  constructor(
    message: string,
    opts: { status?: number | null; code?: string; cause?: unknown } = {},
  ) {
    super(message, {
      status: opts.status ?? null,
      code: opts.code ?? 'upstream_unavailable',
      cause: opts.cause,
    });
    this.name = 'OuraUpstreamError';
  }
}

export class OuraTimeoutError extends OuraError {
  readonly timeoutMs: number;
  constructor(message: string, opts: { timeoutMs: number; cause?: unknown }) {
    super(message, { status: null, code: 'timeout', cause: opts.cause });
    this.name = 'OuraTimeoutError';
    this.timeoutMs = opts.timeoutMs;
  }
}

/** The response was not what the API promises: truncated or non-JSON body, wrong envelope. */
export class OuraProtocolError extends OuraError {
  constructor(message: string, opts: { status?: number | null; cause?: unknown } = {}) {
    super(message, { status: opts.status ?? null, code: 'bad_response', cause: opts.cause });
    this.name = 'OuraProtocolError';
  }
}
