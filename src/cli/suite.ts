// A suite file: named cases, each a spec given as the options the CLI takes, and how deep
// report.md shows its layers.
//   {"cases": [{"name": "se-512-r8", "options": {"channels": 512, "reduction": 8}, "depth": 1}]}
import { UsageError } from '../errors';
import { parseJson } from '../fs/json';
import { readInputText } from '../fs/read';
import { isObject, MAX_NAME_LENGTH } from '../report/report/document';
import type { Spec } from '../model/spec';
import { parseSpecOptions, specFromOptions } from './spec-options';
import { within } from './within';

export interface NamedSpec {
  name: string;
  spec: Spec;
  /** The case's layer tree depth in report.md and summary.md, over report --depth. */
  depth?: number;
}

/** Far beyond a CI suite; a larger one is a mistake, and would take minutes to profile. */
export const MAX_CASES = 10_000;

/** Parses a suite's text into named specs; every mistake names the file and the case. */
export function parseSuite(text: string, path: string): NamedSpec[] {
  const doc = within(path, () => parseJson(text));
  if (!isObject(doc) || !Array.isArray(doc['cases'])) throw new UsageError(`${path}: expected an object with a "cases" array`);
  const cases: unknown[] = doc['cases'];
  if (cases.length === 0) throw new UsageError(`${path}: "cases" is empty`);
  if (cases.length > MAX_CASES) throw new UsageError(`${path}: ${cases.length} cases, at most ${MAX_CASES} in one suite`);
  const names = new Set<string>();
  return cases.map((entry, i) => {
    const named = isObject(entry) && typeof entry['name'] === 'string' && entry['name'].length <= MAX_NAME_LENGTH;
    const label = named ? `case '${entry['name'] as string}'` : `case ${i + 1}`;
    return within(`${path}: ${label}`, () => {
      if (!isObject(entry)) throw new UsageError('expected {"name": ..., "options": {...}}');
      const { name, options, depth } = entry;
      if (typeof name !== 'string' || name.trim() === '') throw new UsageError('"name" must be a non-empty string');
      if (name.length > MAX_NAME_LENGTH) throw new UsageError(`"name" has ${name.length} characters, at most ${MAX_NAME_LENGTH}`);
      if (names.has(name)) throw new UsageError('the name is used twice');
      names.add(name);
      if (!isObject(options)) throw new UsageError('"options" must be an object of profile options, e.g. {"channels": 512}');
      if (depth !== undefined && !(typeof depth === 'number' && Number.isSafeInteger(depth) && depth >= 1)) {
        throw new UsageError(`"depth" must be a whole number of at least 1, got ${JSON.stringify(depth)}`);
      }
      return { name, spec: specFromOptions(parseSpecOptions(options)), ...(depth !== undefined && { depth }) };
    });
  });
}

export function loadSuite(path: string): NamedSpec[] {
  return parseSuite(readInputText(path, `the suite ${path}`), path);
}
