import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROUTES, type RouteInfo } from '../../oura/routes.ts';
import type { DocumentDataType } from '../data/index.ts';
import { authorize, authorizeSandbox, type Caller, hasScope } from './auth.ts';
import type { SimContext } from './context.ts';
import { DAY_MS } from './dates.ts';
import { badRequest, documentNotFound } from './errors.ts';
import { malformDocument } from './mutate.ts';
import { decodeNextToken, encodeNextToken, queryFingerprint } from './paging.ts';
import {
  dayWindow,
  fieldsParam,
  instantWindow,
  latestParam,
  MAX_SERIES_WINDOW_MS,
  param,
  project,
  type Query,
  rejectSandboxOnly,
} from './query.ts';
import type { SimDocument, SimUser } from './store.ts';

export type Mode = 'user' | 'sandbox';

export interface ListResponse {
  data: SimDocument[];
  next_token: string | null;
}

type Row = Record<string, unknown>;

function documentType(route: RouteInfo): DocumentDataType {
  if (route.dataType === 'heartrate' || route.dataType === 'ring_battery_level') {
    throw new Error(`${route.dataType} is a time series, not a document type`);
  }
  return route.dataType;
}

async function caller(
  ctx: SimContext,
  req: FastifyRequest,
  route: RouteInfo,
  mode: Mode,
): Promise<Caller> {
  return mode === 'user' ? authorize(ctx, req, route.scope) : authorizeSandbox(ctx, req);
}

/** The `malformedNext` fault: corrupt one document of a non-empty page. */
function maybeMalform(ctx: SimContext, route: RouteInfo, data: SimDocument[]): SimDocument[] {
  const first = data[0];
  const only = ctx.faults.malformedType;
  if (first === undefined || (only !== null && only !== route.dataType)) return data;
  if (!ctx.faults.take('malformedNext')) return data;
  ctx.stats.malformed++;
  return [malformDocument(first), ...data.slice(1)];
}

function listDocuments(
  ctx: SimContext,
  route: RouteInfo,
  user: SimUser,
  mode: Mode,
  query: Query,
): ListResponse {
  const index = user.index(documentType(route));
  const fields = fieldsParam(query);
  let from = 0;
  let to = index.size;
  if (route.range === 'date') {
    const { startDay, endDay } = dayWindow(query, ctx.config.datasetEndDay);
    [from, to] = index.range(startDay, endDay);
  }
  const fingerprint = queryFingerprint([
    mode,
    route.path,
    user.name,
    param(query, 'start_date'),
    param(query, 'end_date'),
    fields,
  ]);
  const token = param(query, 'next_token');
  const offset = token ? decodeNextToken(token, fingerprint).position : 0;
  const start = from + offset;
  const end = Math.min(to, start + ctx.config.pageSize);
  const data = index.slice(start, end).map((doc) => project(doc, fields));
  const nextToken =
    end < to ? encodeNextToken({ position: offset + (end - start), skip: 0 }, fingerprint) : null;
  return { data, next_token: nextToken };
}

function rowTime(row: Row): number {
  const unix = row.timestamp_unix;
  if (typeof unix === 'number') return unix;
  return typeof row.timestamp === 'string' ? Date.parse(row.timestamp) : Number.NaN;
}

function seriesSource(route: RouteInfo, user: SimUser): (startMs: number, endMs: number) => Row[] {
  return route.dataType === 'heartrate'
    ? (s, e) => user.data.heartrate(s, e)
    : (s, e) => user.data.batteryLevel(s, e);
}

/** The most recent sample before `endMs`, searching back a day at a time. */
function latestRow(source: (s: number, e: number) => Row[], startMs: number, endMs: number) {
  for (let e = endMs; e > startMs; e -= DAY_MS) {
    const rows = source(Math.max(startMs, e - DAY_MS), e);
    const last = rows[rows.length - 1];
    if (last !== undefined) return last;
  }
  return undefined;
}

function listSeries(
  ctx: SimContext,
  route: RouteInfo,
  user: SimUser,
  mode: Mode,
  query: Query,
): ListResponse {
  const window = instantWindow(query);
  const latest = mode === 'user' && latestParam(query);
  const fields = fieldsParam(query);
  const source = seriesSource(route, user);
  if (latest) {
    const from = window.startGiven ? window.startMs : window.endMs - MAX_SERIES_WINDOW_MS;
    const row = latestRow(source, from, window.endMs);
    return { data: row ? [project(row, fields)] : [], next_token: null };
  }
  // The parameters as sent, not the window: a default end ("now") moves between pages.
  const fingerprint = queryFingerprint([
    mode,
    route.path,
    user.name,
    param(query, 'start_datetime'),
    param(query, 'end_datetime'),
    fields,
  ]);
  const token = param(query, 'next_token');
  const cursor = token
    ? decodeNextToken(token, fingerprint)
    : { position: window.startMs, skip: 0 };
  if (cursor.position < window.startMs || cursor.position > window.endMs) {
    throw badRequest('Invalid next_token');
  }
  const pageSize = ctx.config.timeSeriesPageSize;
  // Generate a day at a time, only as far as this page needs.
  const rows: Row[] = [];
  let t = cursor.position;
  while (t < window.endMs && rows.length - cursor.skip <= pageSize) {
    const chunkEnd = Math.min(window.endMs, t + DAY_MS);
    for (const row of source(t, chunkEnd)) rows.push(row);
    t = chunkEnd;
  }
  const page = rows.slice(cursor.skip, cursor.skip + pageSize);
  const following = rows[cursor.skip + pageSize];
  let nextToken: string | null = null;
  if (following !== undefined) {
    const at = rowTime(following);
    let skip = 0;
    for (let i = cursor.skip + pageSize - 1; i >= 0; i--) {
      const row = rows[i];
      if (row === undefined || rowTime(row) !== at) break;
      skip++;
    }
    nextToken = encodeNextToken({ position: at, skip }, fingerprint);
  }
  return { data: page.map((row) => project(row, fields)), next_token: nextToken };
}

/** Register a list route (and its single-document route) for one data type. */
export function registerRoute(
  app: FastifyInstance,
  ctx: SimContext,
  route: RouteInfo,
  mode: Mode,
): void {
  const prefix = mode === 'user' ? '/v2/usercollection' : '/v2/sandbox/usercollection';
  app.get(`${prefix}/${route.path}`, async (req) => {
    const { user } = await caller(ctx, req, route, mode);
    const query = req.query as Query;
    if (mode === 'sandbox') rejectSandboxOnly(query);
    const page =
      route.range === 'datetime'
        ? listSeries(ctx, route, user, mode, query)
        : listDocuments(ctx, route, user, mode, query);
    return { data: maybeMalform(ctx, route, page.data), next_token: page.next_token };
  });
  if (!route.single) return;
  app.get<{ Params: { documentId: string } }>(
    `${prefix}/${route.path}/:documentId`,
    async (req) => {
      const { user } = await caller(ctx, req, route, mode);
      const doc = user.index(documentType(route)).get(req.params.documentId);
      if (doc === undefined) throw documentNotFound();
      return doc;
    },
  );
}

export function registerCollectionRoutes(app: FastifyInstance, ctx: SimContext): void {
  for (const route of Object.values(ROUTES)) registerRoute(app, ctx, route, 'user');

  // `id` is readable with any token; the rest needs `personal`, the email `email` (NOTES).
  app.get('/v2/usercollection/personal_info', async (req) => {
    const { user, grant } = authorize(ctx, req, null);
    const info = user.data.personalInfo;
    const personal = grant !== undefined && hasScope(grant, 'personal');
    const email = grant !== undefined && hasScope(grant, 'email');
    return {
      id: info.id,
      age: personal ? info.age : null,
      weight: personal ? info.weight : null,
      height: personal ? info.height : null,
      biological_sex: personal ? info.biological_sex : null,
      email: email ? info.email : null,
    };
  });
}
