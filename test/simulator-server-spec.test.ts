import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../src/oura/routes.ts';
import type { Simulator } from '../src/simulator/index.ts';
import { startSimulator } from '../src/simulator/index.ts';

/**
 * Every response body the simulator serves must validate against Oura's own OpenAPI document
 * (v1.37, the 200 response schema of each path). Real HTTP, real generated data.
 */

const SPEC_PATH =
  process.env.OURA_OPENAPI_JSON ??
  new URL('../spec/oura-openapi-1.37.json', import.meta.url).pathname;
const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as {
  paths: Record<string, { get?: unknown }>;
  components: { schemas: Record<string, unknown> };
};
const END = '2025-01-31';

// Both are CommonJS packages: under nodenext their default import is `module.exports`.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The spec's subscription id format (not one ajv-formats knows).
ajv.addFormat('uuid4', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i);
ajv.addSchema({ $id: 'oura', ...spec });

const pointer = (...parts: string[]) =>
  `oura#/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

const compiled = new Map<string, ValidateFunction>();
function compile(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  return validate;
}

const responseSchema = (path: string, method = 'get') =>
  compile(
    pointer('paths', path, method, 'responses', '200', 'content', 'application/json', 'schema'),
  );
const componentSchema = (name: string) => compile(pointer('components', 'schemas', name));

function expectValid(validate: ValidateFunction, body: unknown, what: string) {
  const ok = validate(body);
  expect(ok ? [] : ajv.errorsText(validate.errors).slice(0, 2000), what).toEqual([]);
}

let sim: Simulator;
let token: string;

beforeAll(async () => {
  // Three years, so even the rare types (tag, rest_mode_period) have documents.
  sim = await startSimulator({ seed: 11, users: 1, days: 3 * 365, endDate: END });
  token = sim.issueTokens('demo').access_token;
});
afterAll(() => sim.close());

const specPaths = (prefix: string) =>
  Object.keys(spec.paths).filter((p) => p.startsWith(prefix) && spec.paths[p]?.get);

async function getJson(path: string, withToken: boolean) {
  const res = await fetch(`${sim.url}${path}`, {
    headers: withToken ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: await res.json() };
}

function rangeFor(segment: string): string {
  const route = Object.values(ROUTES).find((r) => r.path === segment);
  if (route?.range === 'date') return '?start_date=2022-01-01&end_date=2025-02-01';
  if (route?.range === 'datetime') {
    return `?start_datetime=${END}T00:00:00Z&end_datetime=${END}T12:00:00Z`;
  }
  return '';
}

for (const [label, prefix, withToken] of [
  ['usercollection', '/v2/usercollection/', true],
  ['sandbox', '/v2/sandbox/usercollection/', false],
] as const) {
  describe(`${label} routes validate against the spec`, () => {
    const paths = specPaths(prefix);

    it('serves every list route of the spec with a schema-valid, non-empty page', async () => {
      expect(paths.length).toBe(label === 'sandbox' ? 34 : 35);
      for (const path of paths.filter((p) => !p.endsWith('{document_id}'))) {
        const segment = path.slice(prefix.length);
        const res = await getJson(`${path}${rangeFor(segment)}`, withToken);
        expect(res.status, path).toBe(200);
        expectValid(responseSchema(path), res.body, path);
        if (segment !== 'personal_info') expect(res.body.data.length, path).toBeGreaterThan(0);
      }
    });

    it('serves every single-document route of the spec with a schema-valid document', async () => {
      for (const path of paths.filter((p) => p.endsWith('{document_id}'))) {
        const listPath = path.replace('/{document_id}', '');
        const segment = listPath.slice(prefix.length);
        const list = await getJson(`${listPath}${rangeFor(segment)}`, withToken);
        const id = list.body.data[0]?.id;
        const res = await getJson(`${listPath}/${encodeURIComponent(id)}`, withToken);
        expect(res.status, path).toBe(200);
        expect(res.body).toEqual(list.body.data[0]);
        expectValid(responseSchema(path), res.body, path);
      }
    });
  });
}

describe('documents in detail', () => {
  it('every generated document validates against its own component schema (strict variant)', async () => {
    for (const route of Object.values(ROUTES)) {
      // routes.ts names the battery row 'PublicRingBatteryLevel'; the spec calls it '...Row'.
      const name = route.schema in spec.components.schemas ? route.schema : `${route.schema}Row`;
      const validate = componentSchema(name);
      const res = await getJson(`/v2/usercollection/${route.path}${rangeFor(route.path)}`, true);
      for (const doc of res.body.data) expectValid(validate, doc, route.path);
    }
  });

  it('fields projections, latest samples and revised documents stay valid', async () => {
    const projected = await getJson(
      '/v2/usercollection/sleep?start_date=2025-01-20&fields=total_sleep_duration,average_hrv',
      true,
    );
    expectValid(responseSchema('/v2/usercollection/sleep'), projected.body, 'fields');
    const latest = await getJson('/v2/usercollection/heartrate?latest=true', true);
    expectValid(responseSchema('/v2/usercollection/heartrate'), latest.body, 'latest');
    for (const route of Object.values(ROUTES)) {
      if (route.range === 'datetime') continue;
      const type = route.dataType as Exclude<
        typeof route.dataType,
        'heartrate' | 'ring_battery_level'
      >;
      const [id] = sim.faults.changeDocuments('demo', type, 1);
      const res = await getJson(`/v2/usercollection/${route.path}/${id}`, true);
      expectValid(componentSchema(route.schema), res.body, `revised ${route.path}`);
    }
  });

  it('error bodies match the spec: 422 HTTPValidationError', async () => {
    const res = await getJson('/v2/usercollection/daily_sleep?start_date=nope', true);
    expect(res.status).toBe(422);
    expectValid(componentSchema('HTTPValidationError'), res.body, '422');
  });

  it('webhook subscription bodies match WebhookSubscriptionModel', async () => {
    const receiver = Fastify();
    receiver.get('/hook', async (req) => ({
      challenge: (req.query as { challenge: string }).challenge,
    }));
    const callback = `${await receiver.listen({ host: '127.0.0.1', port: 0 })}/hook`;
    try {
      const app = {
        'x-client-id': 'snowtorch-dev',
        'x-client-secret': 'snowtorch-dev-secret',
        'content-type': 'application/json',
      };
      const created = await fetch(`${sim.url}/v2/webhook/subscription`, {
        method: 'POST',
        headers: app,
        body: JSON.stringify({
          callback_url: callback,
          verification_token: 't',
          event_type: 'create',
          data_type: 'sleep',
        }),
      });
      expect(created.status).toBe(201);
      const path = '/v2/webhook/subscription';
      const createdSchema = compile(
        pointer('paths', path, 'post', 'responses', '201', 'content', 'application/json', 'schema'),
      );
      expectValid(createdSchema, await created.json(), 'webhook create');
      const list = await fetch(`${sim.url}${path}`, { headers: app });
      const body = await list.json();
      expect(body).toHaveLength(1);
      expectValid(responseSchema(path), body, 'webhook list');
    } finally {
      await receiver.close();
    }
  });
});
