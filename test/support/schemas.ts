// The shipped JSON Schemas, compiled once by ajv (draft 2020-12, strict mode: a schema that
// says something ajv cannot check is an error, not silently ignored).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { expect } from 'vitest';
import { ROOT } from './cli';

export const SCHEMA_DIR = join(ROOT, 'schemas');
export const SCHEMA_FILES = readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.schema.json'));

const ajv = new Ajv2020({ strict: true, allErrors: true });
for (const name of SCHEMA_FILES) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as object);

export type SchemaName = 'profile' | 'points' | 'report' | 'compare' | 'explain' | 'paper' | 'error';

export const schemaId = (name: SchemaName | 'common'): string => `urn:seprof:schema:${name}:1`;

/** The ajv errors of `doc` against the named schema, [] when it is valid. */
export function schemaErrors(name: SchemaName, doc: unknown): string[] {
  const validate = ajv.getSchema(schemaId(name));
  if (validate === undefined) throw new Error(`no schema ${schemaId(name)}`);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export function expectValid(name: SchemaName, doc: unknown): void {
  expect(schemaErrors(name, doc)).toEqual([]);
}
