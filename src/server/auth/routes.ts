import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkUserName,
  hashPassword,
  hashToken,
  safeEqual,
  verifyPassword,
  WeakPasswordError,
} from '../../accounts/secrets.ts';
import {
  AccountExistsError,
  createAccount,
  findLogin,
  hasOwner,
  setPasswordHash,
} from '../../db/accounts.ts';
import { recordAudit } from '../../db/auditLog.ts';
import { consumeAuthToken, isTokenUsable } from '../../db/authTokens.ts';
import type { Db } from '../../db/database.ts';
import { clearLoginFailures, recordLoginFailure } from '../../db/loginFailures.ts';
import { deleteUserSessions } from '../../db/sessions.ts';
import { findUserById } from '../../db/users.ts';
import { ApiError, ConflictError } from '../errors.ts';
import { checkLockout, LockedOutError } from './lockout.ts';
import { registerLoginLinkRoutes } from './loginLink.ts';
import { endSession, requireAuth, startSession } from './session.ts';

/** Per client address: on top of the per-account lockout. */
export const AUTH_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;

const credentials = {
  type: 'object',
  required: ['name', 'password'],
  additionalProperties: false,
  properties: {
    // No control characters: PostgreSQL text cannot hold NUL, and no real name has them.
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]+$' },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

interface Credentials {
  name: string;
  password: string;
}

const authErrors = {
  400: { $ref: 'ApiError#' },
  401: { $ref: 'ApiError#' },
  403: { $ref: 'ApiError#' },
  409: { $ref: 'ApiError#' },
  429: { $ref: 'ApiError#' },
} as const;

async function newPasswordHash(password: string): Promise<string> {
  try {
    return await hashPassword(password);
  } catch (error) {
    if (error instanceof WeakPasswordError) throw new ApiError(400, 'weak_password', error.message);
    throw error;
  }
}

function validName(name: string): string {
  const problem = checkUserName(name);
  if (problem) throw new ApiError(400, 'invalid_name', problem);
  return name.trim();
}

async function loggedIn(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  event: string,
) {
  const login = await findUserById(db, userId);
  if (!login) throw new ApiError(404, 'no_user', 'That account no longer exists.');
  const full = await findLogin(db, login.name);
  if (!full) throw new ApiError(404, 'no_user', 'That account no longer exists.');
  const auth = await startSession(db, request, reply, full.account);
  await recordAudit(db, { event, actorId: auth.userId, actorName: auth.name, ip: request.ip });
  return { user: { id: auth.userId, name: auth.name, role: auth.role }, csrfToken: auth.csrfToken };
}

/** Refuses with 429 and Retry-After (and an audit entry) while the account is locked. */
async function lockoutGate(db: Db, request: FastifyRequest, reply: FastifyReply, name: string) {
  try {
    await checkLockout(db, name);
  } catch (error) {
    if (error instanceof LockedOutError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      await recordAudit(db, { event: 'login_locked', subject: name.slice(0, 100), ip: request.ip });
    }
    throw error;
  }
}

export async function registerAuthRoutes(
  app: FastifyInstance,
  db: Db,
  opts: {
    /**
     * undefined: setup needs no token (loopback). A string: setup must send it. null: a token
     * is needed but none was made, so setup happens only from the terminal.
     */
    setupToken?: string | null | undefined;
  } = {},
): Promise<void> {
  app.post<{ Body: Credentials & { setupToken?: string } }>(
    '/api/auth/setup',
    {
      config: { rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary:
          'First start: create the owner account (only while there is no owner; beyond loopback with the setup token the server printed)',
        body: {
          ...credentials,
          properties: {
            ...credentials.properties,
            setupToken: { type: 'string', maxLength: 100 },
          },
        },
        response: authErrors,
      },
    },
    async (request, reply) => {
      if (await hasOwner(db)) {
        throw new ConflictError('setup_done', 'This Snowtorch already has an owner: log in.');
      }
      if (opts.setupToken !== undefined) {
        const sent = request.body.setupToken ?? '';
        if (opts.setupToken === null || !safeEqual(sent, opts.setupToken)) {
          await recordAudit(db, { event: 'setup_refused', ip: request.ip });
          throw new ApiError(
            403,
            'setup_token_required',
            opts.setupToken === null
              ? 'Create the owner from the terminal: snowtorch users create NAME --owner.'
              : 'Enter the setup token printed in the server log when Snowtorch started (or create the owner with snowtorch users create NAME --owner).',
          );
        }
      }
      const name = validName(request.body.name);
      const passwordHash = await newPasswordHash(request.body.password);
      let account: Awaited<ReturnType<typeof createAccount>>;
      try {
        account = await createAccount(db, { name, passwordHash, role: 'owner' });
      } catch (error) {
        if (error instanceof AccountExistsError)
          throw new ConflictError('name_taken', error.message);
        // The partial unique index lost a race with another setup.
        throw new ConflictError('setup_done', 'This Snowtorch already has an owner: log in.');
      }
      await recordAudit(db, {
        event: 'setup',
        actorId: account.id,
        actorName: account.name,
        ip: request.ip,
      });
      return loggedIn(db, request, reply, account.id, 'login');
    },
  );

  app.post<{ Body: Credentials }>(
    '/api/auth/login',
    {
      config: { rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary: 'Log in with name and password',
        body: credentials,
        response: authErrors,
      },
    },
    async (request, reply) => {
      const { name, password } = request.body;
      await lockoutGate(db, request, reply, name);
      const found = await findLogin(db, name);
      const ok = await verifyPassword(found?.passwordHash ?? null, password);
      if (!found || !ok) {
        await recordLoginFailure(db, name, request.ip);
        await recordAudit(db, {
          event: 'login_failed',
          subject: name.slice(0, 100),
          ip: request.ip,
        });
        throw new ApiError(401, 'invalid_credentials', 'Wrong name or password.');
      }
      await clearLoginFailures(db, name);
      return loggedIn(db, request, reply, found.account.id, 'login');
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['accounts'], summary: 'Log out (ends this session)', response: authErrors },
    },
    async (request, reply) => {
      const auth = request.auth;
      await endSession(db, request, reply);
      if (auth)
        await recordAudit(db, {
          event: 'logout',
          actorId: auth.userId,
          actorName: auth.name,
          ip: request.ip,
        });
      return { ok: true };
    },
  );

  app.post<{ Body: { currentPassword?: string; newPassword: string } }>(
    '/api/auth/password',
    {
      config: { rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary: 'Set or change your password (logs out your other sessions)',
        body: {
          type: 'object',
          required: ['newPassword'],
          additionalProperties: false,
          properties: {
            currentPassword: { type: 'string', maxLength: 1024 },
            newPassword: { type: 'string', maxLength: 1024 },
          },
        },
        response: authErrors,
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const found = await findLogin(db, auth.name);
      if (!found) throw new ApiError(404, 'no_user', 'That account no longer exists.');
      if (found.passwordHash !== null) {
        // Guessing the current password from a stolen session counts toward the same lockout
        // as guessing it at the login.
        await lockoutGate(db, request, reply, auth.name);
        const ok = await verifyPassword(found.passwordHash, request.body.currentPassword ?? '');
        if (!ok) {
          await recordLoginFailure(db, auth.name, request.ip);
          await recordAudit(db, {
            event: 'password_change_failed',
            actorId: auth.userId,
            actorName: auth.name,
            ip: request.ip,
          });
          throw new ApiError(401, 'invalid_credentials', 'The current password is wrong.');
        }
        await clearLoginFailures(db, auth.name);
      }
      await setPasswordHash(db, auth.userId, await newPasswordHash(request.body.newPassword));
      await deleteUserSessions(db, auth.userId, auth.sessionHash);
      await recordAudit(db, {
        event: 'password_changed',
        actorId: auth.userId,
        actorName: auth.name,
        ip: request.ip,
      });
      return { ok: true };
    },
  );

  app.get<{ Params: { token: string } }>(
    '/api/invites/:token',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Whether an invite link can still be used',
        params: { type: 'object', properties: { token: { type: 'string', maxLength: 100 } } },
      },
    },
    async (request) => ({
      valid: await isTokenUsable(db, hashToken(request.params.token), 'invite'),
    }),
  );

  app.post<{ Body: Credentials & { token: string } }>(
    '/api/auth/accept-invite',
    {
      config: { rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary: 'Join with a one-time invite link: choose a name and a password',
        body: {
          type: 'object',
          required: ['token', 'name', 'password'],
          additionalProperties: false,
          properties: { ...credentials.properties, token: { type: 'string', maxLength: 100 } },
        },
        response: authErrors,
      },
    },
    async (request, reply) => {
      const name = validName(request.body.name);
      const passwordHash = await newPasswordHash(request.body.password);
      if (await findLogin(db, name))
        throw new ConflictError('name_taken', `The name '${name}' is taken.`);
      const used = await consumeAuthToken(db, hashToken(request.body.token), 'invite');
      if (!used) {
        throw new ApiError(
          400,
          'invite_invalid',
          'This invite link was already used or has expired. Ask the owner for a new one.',
        );
      }
      let account: Awaited<ReturnType<typeof createAccount>>;
      try {
        account = await createAccount(db, { name, passwordHash, role: 'member' });
      } catch (error) {
        if (error instanceof AccountExistsError)
          throw new ConflictError('name_taken', error.message);
        throw error;
      }
      await recordAudit(db, {
        event: 'member_joined',
        actorId: account.id,
        actorName: account.name,
        subject: account.name,
        ip: request.ip,
        details: { invitedBy: used.createdBy },
      });
      return loggedIn(db, request, reply, account.id, 'login');
    },
  );

  await registerLoginLinkRoutes(app, db, {
    rateLimit: AUTH_RATE_LIMIT,
    logIn: (request, reply, userId) => loggedIn(db, request, reply, userId, 'login_link'),
  });
}
