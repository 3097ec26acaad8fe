// seprof as a library: the CLI's counts as typed values (exact counts as bigint), and the
// CLI's JSON documents from them. Only `measure: true` loads tfjs.
import { CONVENTION_KEYS, type ConventionKey } from './analyzers/conventions';
import { explain as explainProfile, type Explanation } from './analyzers/explain';
import { profile as profileSpec, type Profile } from './analyzers/profile';
import { columns } from './cli/options';
import { UsageError } from './errors';
import { loadFileSupport } from './model/file-support';
import { buildSpec } from './model/spec';
import { wholeNumber } from './parse';
import { compareReports, parseFailOn, parseTolerance, parseTolerances, type Comparison, type FailOn } from './report/compare/compare';
import { comparisonJson } from './report/compare/compare-render';
import { readReport, type ReportJson } from './report/report/document';
import { explainJson } from './report/explain/json';
import { profileJson, type ProfileJson } from './report/profile/json';
import { defaultDepth } from './report/render-options';
import { optionsObject, rawSpecOptions, runOptions, shown, type ProfileOptions } from './api/options';
import { toolVersion } from './version';

export { CONVENTION_KEYS, UsageError };
export { SCHEMA_VERSION } from './report/profile/json';
export { REPORT_SCHEMA_VERSION } from './report/report/document';
export type { ModelOptions, MeasureOptions, ProfileOptions } from './api/options';
export type { ConventionKey, Explanation, Comparison, Profile, ProfileJson, ReportJson };
export type { BackendChoice, BackendInfo } from './analyzers/measured/backend-choice';
export type { Check, CheckStatus, Mismatch } from './analyzers/check';
export type { Counts, LayerCounts, Totals } from './analyzers/count';
export type { Difference, KindExplanation, RuleUse } from './analyzers/explain';
export type { Latency } from './analyzers/measured/timing';
export type { Interval } from './analyzers/measured/interval';
export type { SeBlockTime, SeLatency, SeTimeShare } from './analyzers/se-time';
export type { Op, OpAttrs, OpKind, Shape } from './analyzers/ops';
export type { Overhead, Sizes } from './analyzers/profile';
export type { Training } from './analyzers/backward/training';
export type { Spec } from './model/spec';
export type { CaseSummary, Delta, DeltaStatus, FailOn } from './report/compare/compare';
export type { CaseJson } from './report/report/document';
export type { JsonCount } from './report/profile/json';

/** Params, buffers and every convention's count of one block or network, per layer and in total. */
export async function profile(options: ProfileOptions): Promise<Profile> {
  if (optionsObject(options, 'profile(options)', true).file !== undefined) await loadFileSupport();
  return profileSpec(buildSpec(rawSpecOptions(options)), runOptions(options));
}

export interface ExplainOptions extends ProfileOptions {
  /** The convention the others are compared with (default thop). */
  reference?: ConventionKey;
  /** The conventions explained (default all). */
  conventions?: readonly ConventionKey[];
}

/** What each convention counts for this model, how they differ from the reference, and what they leave out. */
export async function explain(options: ExplainOptions): Promise<Explanation> {
  const { reference = 'thop', conventions = CONVENTION_KEYS, ...rest } = optionsObject(options, 'explain(options)', true);
  if (!Array.isArray(conventions) || !conventions.every((k) => typeof k === 'string'))
    throw new UsageError(`conventions must be an array of convention keys, got ${shown(conventions)}`);
  const keys = columns({ conventions: [...conventions].join(',') });
  if (!CONVENTION_KEYS.includes(reference)) throw new UsageError(`reference must be one of ${CONVENTION_KEYS.join(', ')}; got '${String(reference)}'`);
  return explainProfile(await profile(rest), keys, reference);
}

export interface CompareOptions {
  /**
   * Relative change allowed in counts: 0.01 or '1%' (default exact) for every quantity, or per
   * quantity, `{ params: 0, thop: '0.5%' }` (a key `'*'` for the rest), as `--tolerance`.
   */
  tolerance?: number | string | Readonly<Record<string, number | string>>;
  /** Which moves beyond the tolerance fail: `increase` (default; a decrease is an improvement), `decrease` or `change`. */
  failOn?: FailOn;
  /** Fail a case whose median latency grew by more than this fraction. */
  latencyTolerance?: number | string;
  /** Fail a case whose SE latency interval lies above the base's by more than this fraction of the model's time. */
  seLatencyTolerance?: number | string;
}

/** A report document (report.json, `sweep --json`) as an object or as its text. */
function readDocument(document: ReportJson | string, label: string) {
  const refused = (): never => {
    throw new UsageError(`${label}: compare takes report documents (report.json, sweep --json) or their JSON text, got ${shown(document)}`);
  };
  if (typeof document === 'string') return readReport(document, label);
  if (typeof document !== 'object' || document === null) return refused();
  let text: string;
  try {
    text = JSON.stringify(document);
  } catch {
    // bigints (a Profile, not its JSON) or a circular object: not a JSON document.
    return refused();
  }
  return readReport(text, label);
}

/** The library's tolerance as the CLI's `--tolerance` values. */
function toleranceTexts(tolerance: CompareOptions['tolerance']): string[] {
  if (tolerance === undefined) return [];
  if (typeof tolerance === 'number' || typeof tolerance === 'string') return [String(tolerance)];
  if (typeof tolerance !== 'object' || tolerance === null)
    throw new UsageError(`tolerance must be a number, a string or an object of them, got ${String(tolerance)}`);
  return Object.entries(tolerance).map(([quantity, value]) => (quantity === '*' ? String(value) : `${quantity}=${String(value)}`));
}

/** What moved between two reports, case by case, exactly as `seprof compare` decides it. */
export function compare(base: ReportJson | string, head: ReportJson | string, given?: CompareOptions): Comparison {
  const { tolerance, failOn, latencyTolerance, seLatencyTolerance } = optionsObject(given, 'compare(base, head, options)', false);
  const thresholds = {
    ...parseTolerances('tolerance', toleranceTexts(tolerance)),
    failOn: failOn === undefined ? undefined : parseFailOn('failOn', String(failOn)),
    latencyTolerance: latencyTolerance === undefined ? undefined : parseTolerance('latencyTolerance', String(latencyTolerance)),
    seLatencyTolerance: seLatencyTolerance === undefined ? undefined : parseTolerance('seLatencyTolerance', String(seLatencyTolerance)),
  };
  return compareReports(readDocument(base, 'base'), readDocument(head, 'head'), thresholds);
}

export interface ProfileJsonOptions {
  /** Group layers into a tree this deep (`tree`); default 2 for networks and model files, as the CLI. */
  depth?: number;
  /** List the K layers that cost most under `convention` (`top`). */
  top?: number;
  convention?: ConventionKey;
}

/**
 * The CLI's JSON document of a result, as a plain object: `JSON.stringify(toJson(r), null, 2)`
 * is byte for byte what `--json` prints (counts past 2^53 become decimal strings).
 */
export function toJson(result: Profile, options?: ProfileJsonOptions): ProfileJson;
export function toJson(result: Explanation): object;
export function toJson(result: Comparison): object;
export function toJson(result: Profile | Explanation | Comparison, given?: ProfileJsonOptions): object {
  if (typeof result !== 'object' || result === null) throw new UsageError(`toJson takes what profile(), explain() or compare() returned, got ${shown(result)}`);
  if ('deltas' in result) return comparisonJson(result);
  if ('kinds' in result) return explainJson(result, toolVersion());
  if (!('spec' in result && 'layers' in result && 'totals' in result))
    throw new UsageError('toJson takes what profile(), explain() or compare() returned: this is none of them');
  const options = optionsObject(given, 'toJson(result, options)', false);
  const count = (key: 'depth' | 'top'): number | undefined => {
    const value = options[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' && typeof value !== 'string')
      throw new UsageError(`option '${key}' must be a whole number of at least 1, got ${shown(value)}`);
    return wholeNumber(key, String(value));
  };
  const depth = count('depth') ?? defaultDepth(result.spec);
  const convention = options.convention ?? 'thop';
  if (!CONVENTION_KEYS.includes(convention)) throw new UsageError(`option 'convention' must be one of ${CONVENTION_KEYS.join(', ')}; got ${shown(convention)}`);
  return profileJson(result, { toolVersion: toolVersion(), depth, top: count('top'), columns: [convention] });
}
