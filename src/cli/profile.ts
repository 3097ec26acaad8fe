// The main job: profile one block, analytic and measured.
import type { Check } from '../analyzers/check';
import { profile, type Profile } from '../analyzers/profile';
import { wholeNumber } from '../parse';
import { render } from '../report/profile';
import { defaultDepth } from '../report/render-options';
import { buildSpec, type Spec } from '../model/spec';
import * as parse from './options';
import { outcome, type CommandContext, type Outcome } from './outcome';
import { SILENT, type ProgressFor } from './progress';

export async function runProfile(flags: parse.ProfileFlags, { toolVersion, progress, width }: CommandContext): Promise<Outcome> {
  const format = parse.format(flags);
  const shown = { format, columns: parse.columns(flags), toolVersion, counts: parse.countStyle(flags, format), totalRow: parse.totalRow(flags, format), width };
  if (flags.at !== undefined || flags.atFile !== undefined) {
    // `--at` loads its own modules: the main job starts without them.
    const { insertionPoints, runInsertionPoints } = await import('./insertion-points.js');
    const points = insertionPoints(flags);
    if (points !== undefined) return runInsertionPoints(points, flags, shown);
  }

  const spec = buildSpec(flags);
  // CSV is one row per layer unless --depth asks for modules: its default tree is the table's.
  const depth = flags.depth !== undefined ? wholeNumber('depth', flags.depth) : format === 'csv' ? undefined : defaultDepth(spec);
  const top = flags.top === undefined ? undefined : wholeNumber('top', flags.top);
  const result = await profileWithProgress(spec, flags, progress);
  return checkedOutcome(await render(result, { ...shown, depth, top }), result.check, flags.measure);
}

/** A measured network or a backward pass takes seconds: progress on stderr meanwhile (not --quiet). */
export async function profileWithProgress(spec: Spec, flags: parse.MeasureFlags, progress: ProgressFor): Promise<Profile> {
  const long = flags.measure && (spec.block === 'network' || flags.training === true);
  const shown = long ? progress(flags.quiet) : SILENT;
  try {
    return await profile(spec, { ...parse.profileOptions(flags), onProgress: shown.update });
  } finally {
    shown.end();
  }
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
