// A suite file: named cases, each a spec given as the options the CLI takes.
//   {"cases": [{"name": "se-512-r8", "options": {"channels": 512, "reduction": 8}}]}
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors';
import { isObject } from '../report/document';
import type { Spec } from '../model/spec';
import { parseSpecOptions, specFromOptions, within } from './spec-options';

export interface NamedSpec {
  name: string;
  spec: Spec;
}

/** Parses a suite's text into named specs; every mistake names the file and the case. */
export function parseSuite(text: string, path: string): NamedSpec[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc) || !Array.isArray(doc['cases'])) throw new UsageError(`${path}: expected an object with a "cases" array`);
  const cases: unknown[] = doc['cases'];
  if (cases.length === 0) throw new UsageError(`${path}: "cases" is empty`);
  const names = new Set<string>();
  return cases.map((entry, i) => {
    const label = isObject(entry) && typeof entry['name'] === 'string' ? `case '${entry['name']}'` : `case ${i + 1}`;
    return within(`${path}: ${label}`, () => {
      if (!isObject(entry)) throw new UsageError('expected {"name": ..., "options": {...}}');
      const { name, options } = entry;
      if (typeof name !== 'string' || name.trim() === '') throw new UsageError('"name" must be a non-empty string');
      if (names.has(name)) throw new UsageError('the name is used twice');
      names.add(name);
      if (!isObject(options)) throw new UsageError('"options" must be an object of profile options, e.g. {"channels": 512}');
      return { name, spec: specFromOptions(parseSpecOptions(options)) };
    });
  });
}

export function loadSuite(path: string): NamedSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the suite ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseSuite(text, path);
}
