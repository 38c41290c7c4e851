import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createInvite } from '../../accounts/links.ts';
import { deleteAccount, listAccounts } from '../../db/accounts.ts';
import { listAudit, recordAudit } from '../../db/auditLog.ts';
import { listOpenInvites } from '../../db/authTokens.ts';
import { listConnections } from '../../db/connections.ts';
import { requireOwner } from '../auth/session.ts';
import { ApiError, ConflictError, NotFoundError } from '../errors.ts';
import { idParamSchema } from '../ranges.ts';
import { type ApiContext, jsonResponse } from './context.ts';
import { revokeAndForget } from './ouraConnect.ts';

/**
 * The URL people reach this server at: SNOWTORCH_PUBLIC_URL, else the address it is bound to
 * (with the port it actually listens on). Never the request's Host header, which the client
 * chooses: a link built from it could send the invited person to someone else's server. Bound to
 * every interface with no public URL, there is no trustworthy address: refused.
 */
export function baseUrlOf(ctx: ApiContext, request: FastifyRequest): string {
  if (ctx.config.publicUrl) return ctx.config.publicUrl;
  const { host, port } = ctx.config.server;
  if (host === '0.0.0.0' || host === '::' || host === '') {
    throw new ConflictError(
      'public_url_required',
      'Set SNOWTORCH_PUBLIC_URL to the address people open Snowtorch at: links are built from it.',
    );
  }
  const address = request.server.server.address();
  const listening = typeof address === 'object' && address ? address.port : port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listening}`;
}

export async function registerMemberRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const errors = {
    403: { $ref: 'ApiError#' },
    404: { $ref: 'ApiError#' },
    409: { $ref: 'ApiError#' },
  } as const;

  app.get(
    '/api/members',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Owner: every account, its Oura state and open invites',
        response: errors,
      },
    },
    async (request) => {
      requireOwner(request);
      const [accounts, connections, invites] = await Promise.all([
        listAccounts(ctx.db),
        listConnections(ctx.db),
        listOpenInvites(ctx.db),
      ]);
      const byUser = new Map(connections.map((c) => [c.userId, c.status]));
      return {
        members: accounts.map((a) => ({
          id: a.id,
          name: a.name,
          role: a.role,
          hasPassword: a.hasPassword,
          createdAt: a.createdAt.toISOString(),
          connection: byUser.get(a.id) ?? 'none',
        })),
        openInvites: invites.map((i) => ({
          createdAt: i.createdAt.toISOString(),
          expiresAt: i.expiresAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/members/invites',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Owner: a one-time invite link (7 days)',
        response: { 201: jsonResponse('The invite link'), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireOwner(request);
      const invite = await createInvite(ctx.db, auth.userId, baseUrlOf(ctx, request));
      await recordAudit(ctx.db, {
        event: 'member_invited',
        actorId: auth.userId,
        actorName: auth.name,
        ip: request.ip,
      });
      reply.code(201);
      return { url: invite.url, expiresAt: invite.expiresAt.toISOString() };
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/members/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Owner: remove a member with their Oura grant (revoked) and all their data',
        params: idParamSchema,
        response: errors,
      },
    },
    async (request) => {
      const auth = requireOwner(request);
      const id = request.params.id;
      if (id === auth.userId)
        throw new ApiError(400, 'cannot_remove_self', 'The owner cannot remove their own account.');
      const account = (await listAccounts(ctx.db)).find((a) => a.id === id);
      if (!account) throw new NotFoundError('No such member.');
      const revoked = await revokeAndForget(ctx, id);
      await deleteAccount(ctx.db, id);
      ctx.clearCaches();
      await recordAudit(ctx.db, {
        event: 'member_removed',
        actorId: auth.userId,
        actorName: auth.name,
        subject: account.name,
        ip: request.ip,
        details: { revoked },
      });
      return { removed: account.name, revoked };
    },
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Owner: the latest audit log entries',
        response: errors,
      },
    },
    async (request) => {
      requireOwner(request);
      const rows = await listAudit(ctx.db, 200);
      return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
    },
  );
}
