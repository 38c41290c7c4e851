import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { DATA_TYPES, ROUTES } from '../src/oura/routes.ts';
import { fixture } from './fixtures/db/load.ts';

/**
 * The storage tests' hand-written documents must be exactly what Oura sends: each one validates
 * against its component schema in Oura's OpenAPI document (v1.37).
 */

const spec = JSON.parse(
  readFileSync(new URL('../spec/oura-openapi-1.37.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
// CommonJS packages: under nodenext their default import is `module.exports`.
const ajv = new Ajv2020Module.default({ strict: false, allErrors: true });
addFormatsModule.default(ajv);
ajv.addSchema({ $id: 'oura', ...spec });

describe('storage test fixtures', () => {
  for (const type of DATA_TYPES) {
    it(`${type}.json matches ${ROUTES[type].schema}`, () => {
      const validate = ajv.compile({ $ref: `oura#/components/schemas/${ROUTES[type].schema}` });
      const docs = fixture(type);
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        const ok = validate(doc);
        expect(ok ? '' : ajv.errorsText(validate.errors), String(doc.id ?? doc.timestamp)).toBe('');
      }
    });
  }
});
