// The lines under every human-readable report: totals, sizes, backend, latency, check.
import type { Latency } from '../../analyzers/measured/timing';
import type { Profile } from '../../analyzers/profile';
import { BACKWARD, BACKWARD_KEYS, isForwardOnly } from '../../analyzers/backward';
import { CONVENTIONS, type ConventionKey } from '../../analyzers/conventions';
import { columnHeader } from '../columns';
import { clever, megabytes, milliseconds, withCommas } from '../format';

export type SummaryLine = readonly [label: string, value: string];

export function checkLine(profile: Profile): string {
  const { check } = profile;
  switch (check.status) {
    case 'skipped':
      return `not measured (${check.reason ?? 'skipped'}): analytic counts only`;
    case 'match': {
      const backward = profile.training === undefined ? '' : `; backward: ${BACKWARD_KEYS.join(', ')} and gradient sums`;
      return `analytic and measured agree on every layer (${check.layers} layers: output shapes, params, buffers, ${CONVENTIONS.length} conventions${backward})`;
    }
    case 'mismatch':
      return `analytic and measured DIFFER in ${check.mismatches.length} place(s), listed below`;
  }
}

/** A convention's total; with --training, forward + backward = total, or why there is no backward. */
function countLine({ totals, training }: Profile, key: ConventionKey): string {
  const forward = totals.counts[key] ?? 0n;
  const plain = `${withCommas(forward)} (${clever(forward)})`;
  if (training === undefined) return plain;
  const entry = BACKWARD[key];
  if (isForwardOnly(entry)) return `${plain}; ${entry.forwardOnly}`;
  const backward = training.backward[key] ?? 0n;
  const total = training.total[key] ?? 0n;
  return `${withCommas(forward)} forward + ${withCommas(backward)} backward = ${withCommas(total)} (${clever(total)})`;
}

/** Beyond this p10-p90 spread, as a fraction of the median, the runs varied widely. */
export const WIDE_SPREAD = 0.5;

/** A wide spread is said once, as a fact about the machine: the counts are not affected. */
function spreadNote(latency: Latency): string {
  const spread = (latency.p90Ms - latency.p10Ms) / latency.medianMs;
  return spread > WIDE_SPREAD ? `; runs varied widely (p10 to p90 spans ${Math.round(spread * 100)}% of the median)` : '';
}

function latencyLine(latency: Latency): string {
  return (
    `${milliseconds(latency.medianMs)} ms median (p10 ${milliseconds(latency.p10Ms)}, p90 ${milliseconds(latency.p90Ms)}) ` +
    `over ${latency.runs} runs after ${latency.warmup} warm-up${spreadNote(latency)}`
  );
}

export function summaryLines(profile: Profile, columns: readonly ConventionKey[]): SummaryLine[] {
  const { totals, sizes, measured } = profile;
  const lines: SummaryLine[] = [
    ['Params', `${withCommas(totals.params)} (${clever(totals.params)})`],
    ['Buffers', withCommas(totals.buffers)],
  ];
  for (const key of columns) lines.push([columnHeader(key), countLine(profile, key)]);
  const total = sizes.inputBytes + sizes.activationBytes + sizes.paramBytes;
  lines.push(
    ['Input size', `${megabytes(sizes.inputBytes)} MB`],
    ['Activations size', `${megabytes(sizes.activationBytes)} MB`],
    ['Params size', `${megabytes(sizes.paramBytes)} MB`],
    ['Estimated total size', `${megabytes(total)} MB`],
  );
  if (measured !== undefined) {
    const { backend, latency } = measured;
    lines.push(['Backend', `${backend.name} (tfjs ${backend.tfjsVersion})`]);
    if (latency !== undefined) lines.push(['Latency', latencyLine(latency)]);
  }
  lines.push(['Check', checkLine(profile)]);
  return lines;
}
