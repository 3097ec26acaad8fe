// The main job: profile one block, analytic and measured.
import type { Check } from '../analyzers/check';
import { profile } from '../analyzers/profile';
import { wholeNumber } from '../parse';
import { render } from '../report';
import { buildSpec } from '../model/spec';
import { insertionPoints, runInsertionPoints } from './insertion-points';
import * as parse from './options';
import { outcome, type Outcome } from './outcome';

export async function runProfile(flags: parse.ProfileFlags, toolVersion: string): Promise<Outcome> {
  const points = insertionPoints(flags);
  if (points !== undefined) return runInsertionPoints(points, flags, toolVersion);

  const spec = buildSpec(flags);
  const format = parse.format(flags);
  const columns = parse.columns(flags);
  const depth = flags.depth === undefined ? (spec.block === 'network' || spec.block === 'file' ? 2 : undefined) : wholeNumber('depth', flags.depth);
  const top = flags.top === undefined ? undefined : wholeNumber('top', flags.top);
  const result = await profile(spec, parse.profileOptions(flags));
  return checkedOutcome(render(result, { format, columns, toolVersion, depth, top }), result.check, flags.measure);
}

/**
 * The printed profile with what stderr says about its check: a measured run the memory guard
 * skipped (the analytic result stands), or a failed cross-check (exit 1).
 */
export function checkedOutcome(stdout: string, check: Check, measure: boolean): Outcome {
  const skipped = check.status === 'skipped' && measure ? [`seprof: measured run skipped: ${check.reason}`] : [];
  if (check.status !== 'mismatch') return outcome(stdout, skipped);
  return outcome(stdout, [...skipped, `seprof: analytic and measured counts differ in ${check.mismatches.length} place(s)`], true);
}
