import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * The API's one error shape: `{ "error": { "code": "...", "message": "...", "details"?: ... } }`.
 * `code` is stable (clients branch on it); `message` is for people.
 */
/**
 * How long any handler may take before the client gets 503 `timeout`. Queries on PostgreSQL
 * have the same budget as their statement_timeout (see `openDatabase`), so work stops too.
 */
export const REQUEST_BUDGET_MS = 15_000;

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;
  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(404, 'not_found', message, details);
    this.name = 'NotFoundError';
  }
}

export class NoUserError extends ApiError {
  constructor(message: string) {
    super(404, 'no_user', message);
    this.name = 'NoUserError';
  }
}

export class ConflictError extends ApiError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
    this.name = 'ConflictError';
  }
}

export const errorResponseSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {},
      },
    },
  },
} as const;

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'code' in error;
}

/** Maps every thrown error to the one error shape; 5xx details stay in the log. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) {
      const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
      if (error.details !== undefined) body.error.details = error.details;
      return reply.code(error.statusCode).send(body);
    }
    if (isFastifyError(error) && error.validation) {
      const where = error.validationContext ?? 'request';
      return reply.code(400).send({
        error: {
          code: 'invalid_request',
          message: `Invalid ${where}: ${error.message}`,
          details: error.validation.map((v) => ({
            path: v.instancePath || v.schemaPath,
            message: v.message,
            params: v.params,
          })),
        },
      } satisfies ApiErrorBody);
    }
    if (isFastifyError(error) && error.code === 'FST_ERR_HANDLER_TIMEOUT') {
      request.log.warn({ url: request.routeOptions.url }, 'request over its time budget');
      return reply.code(503).send({
        error: { code: 'timeout', message: 'This took too long: try a shorter range.' },
      } satisfies ApiErrorBody);
    }
    // PostgreSQL cancelled a statement over its statement_timeout (SQLSTATE 57014).
    if (error instanceof Error && 'code' in error && error.code === '57014') {
      request.log.warn({ url: request.routeOptions.url }, 'query over its time budget');
      return reply.code(503).send({
        error: { code: 'timeout', message: 'This took too long: try a shorter range.' },
      } satisfies ApiErrorBody);
    }
    const status = isFastifyError(error) && error.statusCode ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({
        error: { code: 'internal_error', message: 'Something went wrong on the server.' },
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = isFastifyError(error) && error.code ? error.code.toLowerCase() : 'bad_request';
    return reply.code(status).send({ error: { code, message } } satisfies ApiErrorBody);
  });
}
