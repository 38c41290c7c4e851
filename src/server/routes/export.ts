import type { FastifyInstance } from 'fastify';
import { exportStream } from '../../export/exportStream.ts';
import {
  EXPORT_FORMATS,
  ExportOptionError,
  exportFileName,
  parseExportOptions,
} from '../../export/options.ts';
import { DATA_TYPES } from '../../oura/routes.ts';
import { ApiError } from '../errors.ts';
import type { ApiContext } from './context.ts';

const EXPORT_BUDGET_MS = 30 * 60_000;

interface ExportQuery {
  format?: string;
  types?: string;
  since?: string;
  until?: string;
}

export async function registerExportRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: ExportQuery }>(
    '/api/export',
    {
      // A whole history streams for a while on a slow link; the queries are batched and each
      // stays under the statement timeout.
      handlerTimeout: EXPORT_BUDGET_MS,
      schema: {
        tags: ['data'],
        summary:
          'Download your data: raw documents as NDJSON (one {dataType, id, day, fetchedAt, document} per line), or the typed tables as CSV files in a zip with a README of columns and units',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: {
              type: 'string',
              enum: [...EXPORT_FORMATS],
              description: 'ndjson (default): raw documents; csv: typed tables, zipped',
            },
            types: {
              type: 'string',
              description: `Comma-separated data types to export (default: all). One of: ${DATA_TYPES.join(', ')}`,
            },
            since: { type: 'string', description: 'First day to export (YYYY-MM-DD)' },
            until: { type: 'string', description: 'Last day to export (YYYY-MM-DD, inclusive)' },
          },
        },
        response: {
          200: {
            description: 'The export, as an attachment (deleted documents left out)',
            content: {
              'application/x-ndjson': { schema: { type: 'string' } },
              'application/zip': { schema: { type: 'string', format: 'binary' } },
            },
          },
          400: { $ref: 'ApiError#' },
          401: { $ref: 'ApiError#' },
        },
      },
    },
    async (request, reply) => {
      const user = ctx.users.require(request);
      let opts: ReturnType<typeof parseExportOptions>;
      try {
        opts = parseExportOptions(request.query);
      } catch (error) {
        if (error instanceof ExportOptionError) {
          throw new ApiError(400, 'invalid_request', error.message, error.details);
        }
        throw error;
      }
      // The user comes from the session alone: an export never holds anyone else's rows.
      const { stream, contentType } = await exportStream(ctx.db, user.id, opts);
      const fileName = exportFileName(user.name, ctx.today(), opts.format);
      return reply
        .header('content-type', contentType)
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}
