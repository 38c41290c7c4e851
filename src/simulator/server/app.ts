import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { tooManyRequests } from './auth.ts';
import { registerCollectionRoutes } from './collections.ts';
import type { SimContext } from './context.ts';
import { type ControlActions, registerControlRoutes } from './control.ts';
import { SimHttpError, validationFailed } from './errors.ts';
import { registerOAuthRoutes } from './oauth.ts';
import { registerSandboxRoutes } from './sandbox.ts';
import { registerTagTruthRoute } from './truthRoutes.ts';
import { registerWebhookRoutes } from './webhookRoutes.ts';

const isControl = (path: string) => path.startsWith('/_sim/');
/** Routes the data faults apply to. */
const isData = (path: string) =>
  path.startsWith('/v2/usercollection/') || path.startsWith('/v2/sandbox/');

const pathOf = (req: FastifyRequest) => {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
};

// Unref'd: a response still being delayed must not keep a closed simulator's process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The simulator's Fastify app (not listening yet). */
export async function buildSimulatorApp(
  ctx: SimContext,
  actions: ControlActions,
): Promise<FastifyInstance> {
  // forceCloseConnections: close() must also end requests held open by the timeout fault.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(formbody);

  // An empty JSON body (e.g. on DELETE) is no body; an unparsable one is a 422, as in FastAPI.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(
        validationFailed([
          {
            type: 'json_invalid',
            loc: ['body', 0],
            msg: 'JSON decode error',
            input: {},
            ctx: { error: (err as Error).message },
          },
        ]),
      );
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const path = pathOf(req);
    if (isControl(path)) return;
    ctx.stats.countRequest(path);
    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    if (!isData(path)) return;
    if (ctx.faults.take('timeoutNext')) {
      // Never answer: the client sees a timeout and must abort. close() ends the socket.
      ctx.stats.timeouts++;
      reply.hijack();
      return;
    }
    if (ctx.faults.takeFailure()) throw new SimHttpError(500, { detail: 'Internal Server Error' });
    if (ctx.faults.take('rateLimitNext')) throw tooManyRequests(ctx, ctx.limiter.simulated());
    // The V2 upgrade guide: 426 when the user's app is too old to share this data type.
    if (ctx.faults.take('appUpdateNext')) {
      throw new SimHttpError(426, {
        detail: "The user's Oura app must be updated before this data can be shared.",
      });
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (
      reply.statusCode === 200 &&
      typeof payload === 'string' &&
      payload.length > 1 &&
      isData(pathOf(req)) &&
      ctx.faults.take('truncateNext')
    ) {
      // A body that stops mid-JSON but whose Content-Length matches what is sent.
      ctx.stats.truncated++;
      return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500 && !isControl(pathOf(req))) ctx.stats.served5xx++;
  });

  app.setErrorHandler((err: FastifyError | SimHttpError, _req, reply) => {
    if (err instanceof SimHttpError) {
      return reply.code(err.status).headers(err.headers).send(err.body);
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      process.stderr.write(`oura simulator: ${err.stack ?? err.message}\n`);
      return reply.code(500).send({ detail: 'Internal Server Error' });
    }
    return reply.code(status).send({ detail: err.message });
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ detail: 'Not Found' }));

  registerCollectionRoutes(app, ctx);
  registerSandboxRoutes(app, ctx);
  registerOAuthRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerControlRoutes(app, ctx, actions);
  registerTagTruthRoute(app, ctx);
  return app;
}
