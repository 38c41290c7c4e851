import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { listExportDocuments } from '../../db/queries/listExportDocuments.ts';
import { DATA_TYPES, isDataType } from '../../oura/routes.ts';
import { ApiError } from '../errors.ts';
import type { ApiContext } from './context.ts';

const EXPORT_BUDGET_MS = 30 * 60_000;

interface ExportQuery {
  types?: string;
}

/** The user name as a file-name part: header-safe, no path or quote characters. */
function fileNamePart(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'user';
}

function parseTypes(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const types = [...new Set(raw.split(',').map((t) => t.trim()))].filter((t) => t !== '');
  const unknown = types.filter((t) => !isDataType(t));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      'invalid_request',
      `Unknown data type: ${unknown.join(', ')}. Known types: ${DATA_TYPES.join(', ')}.`,
      { unknown },
    );
  }
  return types;
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
          'Download every stored document of yours as NDJSON: one {dataType, id, day, fetchedAt, document} per line',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            types: {
              type: 'string',
              description: `Comma-separated data types to export (default: all). One of: ${DATA_TYPES.join(', ')}`,
            },
          },
        },
        response: {
          200: {
            description: 'One JSON document per line, as Oura sent it (deleted documents left out)',
            content: { 'application/x-ndjson': { schema: { type: 'string' } } },
          },
          400: { $ref: 'ApiError#' },
          401: { $ref: 'ApiError#' },
        },
      },
    },
    async (request, reply) => {
      const user = ctx.users.require(request);
      const types = parseTypes(request.query.types);
      const batches = listExportDocuments(ctx.db, user.id, types ? { types } : {});
      // One batch in memory at a time: the stream pulls the next only when the client reads.
      async function* lines() {
        for await (const batch of batches) {
          yield batch.map((d) => `${JSON.stringify(d)}\n`).join('');
        }
      }
      const fileName = `snowtorch-export-${fileNamePart(user.name)}-${ctx.today()}.ndjson`;
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()));
    },
  );
}
