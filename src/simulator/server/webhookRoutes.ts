import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from './context.ts';
import { badRequest, SimHttpError, type ValidationIssue, validationFailed } from './errors.ts';
import {
  WEBHOOK_DATA_TYPES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDataType,
  type WebhookEventType,
  WebhookVerificationError,
} from './webhooks.ts';

/**
 * `/v2/webhook/subscription` management, authenticated per application with the
 * `x-client-id` / `x-client-secret` headers (spec security `ClientIdAuth` + `ClientSecretAuth`).
 */

function clientOf(ctx: SimContext, req: FastifyRequest): string {
  const id = req.headers['x-client-id'];
  const secret = req.headers['x-client-secret'];
  if (id !== ctx.config.clientId || secret !== ctx.config.clientSecret) {
    throw new SimHttpError(401, { detail: 'Invalid client credentials' });
  }
  return id;
}

/** Recorded body for an unknown subscription id (NOTES "Webhooks"). */
const unknownSubscription = () => new SimHttpError(403, { detail: 'Forbidden' });

const quoted = (values: readonly string[]) =>
  values.map((v, i) => (i === values.length - 1 ? `or '${v}'` : `'${v}'`)).join(', ');

interface Field {
  name: string;
  required: boolean;
  values?: readonly string[];
}

/** Check a JSON body against a flat object schema; issues in FastAPI/pydantic style. */
function checkBody(body: unknown, fields: Field[]): Record<string, string | undefined> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationFailed([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary',
        input: body,
      },
    ]);
  }
  const obj = body as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const out: Record<string, string | undefined> = {};
  for (const field of fields) {
    const value = obj[field.name];
    if (value === undefined || (value === null && field.required)) {
      if (field.required) {
        issues.push({
          type: 'missing',
          loc: ['body', field.name],
          msg: 'Field required',
          input: body,
        });
      }
      continue;
    }
    if (value === null) continue;
    if (typeof value !== 'string') {
      issues.push({
        type: 'string_type',
        loc: ['body', field.name],
        msg: 'Input should be a valid string',
        input: value,
      });
      continue;
    }
    if (field.values && !field.values.includes(value)) {
      issues.push({
        type: 'enum',
        loc: ['body', field.name],
        msg: `Input should be ${quoted(field.values)}`,
        input: value,
        ctx: { expected: quoted(field.values) },
      });
      continue;
    }
    out[field.name] = value;
  }
  if (issues.length > 0) throw validationFailed(issues);
  return out;
}

function verificationFailed(err: unknown): never {
  if (err instanceof WebhookVerificationError) {
    throw badRequest(`Webhook verification failed: ${err.message}`);
  }
  throw err;
}

export function registerWebhookRoutes(app: FastifyInstance, ctx: SimContext): void {
  const base = '/v2/webhook/subscription';

  app.get(base, async (req) => ctx.webhooks.list(clientOf(ctx, req)));

  app.post(base, async (req, reply) => {
    const clientId = clientOf(ctx, req);
    const body = checkBody(req.body, [
      { name: 'callback_url', required: true },
      { name: 'verification_token', required: true },
      { name: 'event_type', required: true, values: WEBHOOK_EVENT_TYPES },
      { name: 'data_type', required: true, values: WEBHOOK_DATA_TYPES },
    ]);
    const sub = await ctx.webhooks
      .create(clientId, {
        callback_url: body.callback_url ?? '',
        verification_token: body.verification_token ?? '',
        event_type: body.event_type as WebhookEventType,
        data_type: body.data_type as WebhookDataType,
      })
      .catch(verificationFailed);
    return reply.code(201).send(sub);
  });

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (req) => {
    const sub = ctx.webhooks.get(clientOf(ctx, req), req.params.id);
    if (sub === undefined) throw unknownSubscription();
    return sub;
  });

  app.put<{ Params: { id: string } }>(`${base}/:id`, async (req) => {
    const clientId = clientOf(ctx, req);
    if (ctx.webhooks.get(clientId, req.params.id) === undefined) throw unknownSubscription();
    const body = checkBody(req.body, [
      { name: 'verification_token', required: true },
      { name: 'callback_url', required: false },
      { name: 'event_type', required: false, values: WEBHOOK_EVENT_TYPES },
      { name: 'data_type', required: false, values: WEBHOOK_DATA_TYPES },
    ]);
    const sub = await ctx.webhooks
      .update(clientId, req.params.id, {
        verification_token: body.verification_token ?? '',
        callback_url: body.callback_url,
        event_type: body.event_type as WebhookEventType | undefined,
        data_type: body.data_type as WebhookDataType | undefined,
      })
      .catch(verificationFailed);
    if (sub === undefined) throw unknownSubscription();
    return sub;
  });

  app.delete<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
    if (!ctx.webhooks.delete(clientOf(ctx, req), req.params.id)) throw unknownSubscription();
    return reply.code(204).send();
  });

  app.put<{ Params: { id: string } }>(`${base}/renew/:id`, async (req) => {
    const sub = ctx.webhooks.renew(clientOf(ctx, req), req.params.id);
    if (sub === undefined) throw unknownSubscription();
    return sub;
  });
}
