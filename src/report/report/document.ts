// The report document (report.json, and `seprof sweep --format json`): one entry per case,
// exact counts, versioned so that compare can refuse what it does not understand.
import type { Profile } from '../../analyzers/profile';
import { UsageError } from '../../errors';
import { parseJson } from '../../fs/json';
import { upgradeSpecJson } from '../../model/spec';
import { profileJson, type JsonCount, type ProfileJson } from '../profile/json';
import { jsonText } from '../text';

export const REPORT_SCHEMA = 'seprof-report';
export const REPORT_SCHEMA_VERSION = 1;

export interface CaseResult {
  name: string;
  profile: Profile;
  /** Wall time of profiling the case, measurement included. */
  seconds: number;
}

export interface CaseJson {
  name: string;
  spec: object;
  params: JsonCount;
  buffers: JsonCount;
  counts: Record<string, JsonCount>;
  check: ProfileJson['check'];
  backend: ProfileJson['backend'];
  latency: ProfileJson['latency'];
  /** SE blocks in the model: found in a model file, built into a block or network; absent in reports made before it was written. */
  seBlocks?: number;
  /** Only with --se-latency. */
  seLatency?: object;
}

export interface ReportJson {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  /** ISO 8601, when the report was made; null in a baseline, so that regenerating it with nothing changed leaves it byte-identical. */
  date: string | null;
  /** The suite file, or null for a sweep. */
  suite: string | null;
  cases: CaseJson[];
}

export function reportJson(results: readonly CaseResult[], meta: { toolVersion: string; date: Date | null; suite: string | null }): ReportJson {
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'seprof', version: meta.toolVersion },
    date: meta.date?.toISOString() ?? null,
    suite: meta.suite,
    cases: results.map(({ name, profile }) => {
      const { spec, totals, check, backend, latency, seLatency } = profileJson(profile, { toolVersion: meta.toolVersion });
      return {
        name,
        spec,
        params: totals.params,
        buffers: totals.buffers,
        counts: totals.counts,
        check,
        backend,
        latency,
        seBlocks: seBlockCount(profile),
        ...(seLatency && { seLatency }),
      };
    }),
  };
}

/** A model file's SE blocks as found; a built-in block's or network's by their gates (the `scale` op only SE emits). */
export function seBlockCount(profile: Profile): number {
  return profile.file?.seBlocks.length ?? profile.layers.filter((l) => l.op.kind === 'scale').length;
}

/** Wall time of all the cases together. */
export function totalSeconds(results: readonly CaseResult[]): number {
  return results.reduce((sum, r) => sum + r.seconds, 0);
}

export function mismatchedCases(results: readonly CaseResult[]): CaseResult[] {
  return results.filter((r) => r.profile.check.status === 'mismatch');
}

export function skippedCases(results: readonly CaseResult[]): CaseResult[] {
  return results.filter((r) => r.profile.check.status === 'skipped');
}

export function renderReportJson(doc: ReportJson): string {
  return jsonText(doc);
}

// ---- reading, for compare: trust nothing, and say exactly what is wrong ----

/** One case as compare sees it: every count exact. */
export interface ReadCase {
  name: string;
  /** The spec as canonical JSON text: two cases profile the same thing when these are equal. */
  spec: string;
  /** The spec's fields, flattened (`input.channels`), each as JSON text: what a changed spec changed. */
  specFields: Map<string, string>;
  /** params, buffers and every convention's count. */
  quantities: Map<string, bigint>;
  check: string;
  latencyMs: number | null;
  /** null in a document older than the field. */
  seBlocks: number | null;
  /** With --se-latency: what SE adds (a fraction) and SE's share of the layer time, each with its 95% bounds. */
  se: { adds: Bounds; share: Bounds } | null;
}

/** An estimate and its 95% interval, as compare reads them. */
export interface Bounds {
  value: number;
  low: number;
  high: number;
}

export interface ReadReport {
  /** What the document is called in messages: its path, or base and head. */
  label: string;
  cases: ReadCase[];
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A case name is a label: longer ones would be copied into every row and chart of a report. */
export const MAX_NAME_LENGTH = 200;

/** More digits than any count of any shape seprof accepts; a longer one is not a count. */
export const MAX_COUNT_DIGITS = 100;

/** Far more than any spec seprof writes (a file's spec with thousands of --add-se targets is some 100 KB). */
export const MAX_SPEC_CHARS = 1024 * 1024;

/** The digits of a decimal count, without its sign. */
const digitsOf = (value: string): number => value.length - (value.startsWith('-') ? 1 : 0);

/** The inverse of jsonCount: a safe-integer number or a decimal string, to an exact bigint. */
function parseJsonCount(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value) && digitsOf(value) <= MAX_COUNT_DIGITS) return BigInt(value);
  return undefined;
}

/** An object's leaves by dotted path, each as JSON text. */
function flatten(value: Record<string, unknown>, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, field] of Object.entries(value)) {
    if (isObject(field)) flatten(field, `${prefix}${key}.`, into);
    else into.set(`${prefix}${key}`, JSON.stringify(field) ?? 'null');
  }
  return into;
}

/** JSON with object keys sorted, so that key order never makes two specs differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function readCase(entry: unknown, index: number): ReadCase {
  const where =
    isObject(entry) && typeof entry['name'] === 'string' && entry['name'].length <= MAX_NAME_LENGTH ? `case '${entry['name']}'` : `case ${index + 1}`;
  const bad = (what: string): never => {
    throw new UsageError(`${where}: ${what}`);
  };
  if (!isObject(entry)) return bad('is not an object');
  const { name, spec, counts, check, latency, seBlocks } = entry;
  if (typeof name !== 'string' || name === '') return bad('has no name');
  if (name.length > MAX_NAME_LENGTH) return bad(`has a name of ${name.length} characters, at most ${MAX_NAME_LENGTH}`);
  if (!isObject(spec)) return bad('has no spec');
  if (!isObject(counts)) return bad('has no counts');
  const quantities = new Map<string, bigint>();
  const exact = (quantity: string, value: unknown): void => {
    const n = parseJsonCount(value);
    if (typeof value === 'string' && digitsOf(value) > MAX_COUNT_DIGITS)
      bad(`${quantity} has ${value.length} characters: a count has at most ${MAX_COUNT_DIGITS} digits`);
    if (n === undefined) bad(`${quantity} is not an exact integer: ${(JSON.stringify(value) ?? 'missing').slice(0, 40)}`);
    else if (n < 0n) bad(`${quantity} is ${n}: a count is never negative`);
    else quantities.set(quantity, n);
  };
  exact('params', entry['params']);
  exact('buffers', entry['buffers']);
  for (const [key, value] of Object.entries(counts)) exact(key, value);
  if (!isObject(check) || typeof check['status'] !== 'string') return bad('has no check status');
  if (latency !== null && !(isObject(latency) && typeof latency['medianMs'] === 'number')) return bad('has a malformed latency');
  if (seBlocks !== undefined && !(typeof seBlocks === 'number' && Number.isSafeInteger(seBlocks) && seBlocks >= 0)) return bad('has a malformed seBlocks');
  const se = entry['seLatency'] === undefined ? null : readSeLatency(entry['seLatency']);
  if (se === undefined) return bad('has a malformed seLatency');
  const upgraded = upgradeSpecJson(spec);
  const specText = canonical(upgraded);
  if (specText.length > MAX_SPEC_CHARS)
    bad(`has a spec of ${specText.length.toLocaleString('en-US')} characters, at most ${MAX_SPEC_CHARS.toLocaleString('en-US')}: not one seprof wrote`);
  return {
    name,
    spec: specText,
    specFields: flatten(upgraded),
    quantities,
    check: check['status'],
    latencyMs: latency === null ? null : (latency['medianMs'] as number),
    seBlocks: seBlocks ?? null,
    se,
  };
}

/** An interval with known bounds (null bounds, from fewer than 6 samples, compare as unknown: NaN). */
function readBounds(value: unknown): Bounds | undefined {
  if (!isObject(value) || typeof value['value'] !== 'number') return undefined;
  const bound = (x: unknown): number | undefined => (typeof x === 'number' ? x : x === null ? Number.NaN : undefined);
  const [low, high] = [bound(value['low']), bound(value['high'])];
  return low === undefined || high === undefined ? undefined : { value: value['value'], low, high };
}

/** A case's SE latency: null when it was skipped, undefined when malformed. */
function readSeLatency(value: unknown): ReadCase['se'] | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value['skipped'] === 'string') return null;
  const adds = readBounds(value['addsRatio']);
  const share = isObject(value['layers']) ? readBounds(value['layers']['share']) : undefined;
  return adds === undefined || share === undefined ? undefined : { adds, share };
}

/** Parses a report document; a truncated, malformed or foreign file is a UsageError naming it. */
export function readReport(text: string, label: string): ReadReport {
  try {
    let doc: unknown;
    try {
      doc = parseJson(text);
    } catch (error) {
      const message = (error as Error).message;
      throw new UsageError(message.startsWith('not valid JSON') ? `${message} (truncated or corrupt?)` : message);
    }
    if (!isObject(doc) || doc['schema'] !== REPORT_SCHEMA) {
      throw new UsageError(`not a seprof report: expected "schema": "${REPORT_SCHEMA}", as \`seprof report\` writes in report.json`);
    }
    const version = doc['schemaVersion'];
    if (version !== REPORT_SCHEMA_VERSION) {
      throw new UsageError(`report schema version ${JSON.stringify(version)}, but this seprof reads version ${REPORT_SCHEMA_VERSION}`);
    }
    if (!Array.isArray(doc['cases'])) throw new UsageError('has no "cases" array');
    const cases = (doc['cases'] as unknown[]).map(readCase);
    const seen = new Set<string>();
    for (const c of cases) {
      if (seen.has(c.name)) throw new UsageError(`case '${c.name}' appears twice`);
      seen.add(c.name);
    }
    return { label, cases };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${label}: ${error.message}`);
    throw error;
  }
}
