// `--se-latency` as people read it: what SE adds in time with its interval, SE's share of the
// layer-by-layer time, and per SE block its time and achieved GFLOP/s beside the convs'.
import type { Interval } from '../../analyzers/measured/interval';
import type { Latency } from '../../analyzers/measured/timing';
import type { Profile } from '../../analyzers/profile';
import type { SeLatency } from '../../analyzers/se-time';
import { jsonCount, milliseconds, withCommas } from '../format';
import type { SummaryLine } from './summary';

/** `+1.62%` of a fraction; `n/a` when unknown. */
const signedPercent = (fraction: number): string => (Number.isFinite(fraction) ? `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}%` : 'n/a');

const plainPercent = (fraction: number): string => (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)}%` : 'n/a');
const signedMs = (ms: number): string => (Number.isFinite(ms) ? `${ms >= 0 ? '' : '-'}${milliseconds(Math.abs(ms))}` : 'n/a');
/** Two decimals, or two significant digits below 0.01 (a slow backend's SE: 0.0043). */
const gflops = (g: number): string => (!Number.isFinite(g) ? '-' : g >= 0.01 || g === 0 ? g.toFixed(2) : g.toPrecision(2));

/** `1.20 to 5.04 ms`: an interval's bounds; unknown below 6 samples. */
const bounds = (i: Interval, show: (x: number) => string, unit = ''): string =>
  Number.isFinite(i.low) ? `${show(i.low)} to ${show(i.high)}${unit}` : 'unknown (fewer than 2 processes)';

function medianLine(l: Latency): string {
  return `${milliseconds(l.medianMs)} ms median (p10 ${milliseconds(l.p10Ms)}, p90 ${milliseconds(l.p90Ms)})`;
}

/** What the twin is, as the overhead table's title says it. */
export function seLatencyTitle(profile: Profile, s: SeLatency): string {
  const plain = profile.overhead?.plain;
  const twin =
    profile.overhead?.baseline === 'as-given' && plain?.block === 'file'
      ? `${plain.file} as given`
      : plain?.block === 'file'
        ? `${plain.file} without SE`
        : plain?.block === 'network'
          ? `--model ${plain.model}, the same network without SE`
          : `--block ${plain?.block ?? '?'}, the same block without SE`;
  const what = s.pass === 'training' ? 'training step' : 'forward';
  const clock = s.clock === 'cpu' ? 'CPU time' : 'wall time';
  return `SE latency: against ${twin} (${s.backend}, ${what}, ${clock}; ${s.withSe.runs} interleaved rounds after ${s.withSe.warmup} warm-up, in ${s.processes.length} processes)`;
}

export function seLatencyLines(s: SeLatency): SummaryLine[] {
  const { layers } = s;
  return [
    [
      'SE adds',
      `${signedMs(s.addsMs.value)} ms (${signedPercent(s.addsRatio.value)}); 95% interval ${bounds(s.addsMs, signedMs, ' ms')} (${bounds(s.addsRatio, signedPercent)})`,
    ],
    ['With SE', medianLine(s.withSe)],
    ['Without SE', medianLine(s.withoutSe)],
    [
      'SE time share',
      `${plainPercent(layers.share.value)} of the forward's layer-by-layer time (95% interval ${bounds(layers.share, plainPercent)}, ${layers.passes} passes)`,
    ],
    ['GFLOP/s', `SE layers ${gflops(layers.seGflops)}, convs ${gflops(layers.convGflops)} (layer by layer)`],
  ];
}

/** `+1.62% [+0.50, +2.60]`: a fraction in percent with its interval's bounds, for table cells. */
export function intervalCell(i: Pick<Interval, 'value' | 'low' | 'high'>, signed: boolean): string {
  const show = signed ? signedPercent : plainPercent;
  const bare = (x: number): string => show(x).replace('%', '');
  return Number.isFinite(i.low) ? `${show(i.value)} [${bare(i.low)}, ${bare(i.high)}]` : show(i.value);
}

/** The model's SE latency when it was timed, not when it was skipped or not asked for. */
export function timedSe(profile: Profile): SeLatency | undefined {
  const se = profile.seLatency;
  return se === undefined || 'skipped' in se ? undefined : se;
}

export const SE_BLOCK_HEAD = ['SE block', 'Time ms', 'Share', 'FLOPs (flops)', 'GFLOP/s'] as const;

export function seBlockRows(s: SeLatency): string[][] {
  return s.layers.blocks.map((b) => [b.name, milliseconds(b.ms), plainPercent(b.share), withCommas(b.flops), gflops(b.gflops)]);
}

/** The JSON of `--se-latency` (schemas/common.schema.json#/$defs/seLatency): unknown bounds are null. */
export function seLatencyJson(s: SeLatency | { skipped: string }): object {
  if ('skipped' in s) return { skipped: s.skipped };
  const { layers } = s;
  return {
    backend: s.backend,
    clock: s.clock,
    pass: s.pass,
    confidence: 0.95,
    withSe: s.withSe,
    withoutSe: s.withoutSe,
    addsRatio: s.addsRatio,
    addsMs: s.addsMs,
    layers: {
      passes: layers.passes,
      share: layers.share,
      seGflops: layers.seGflops,
      convGflops: layers.convGflops,
      blocks: layers.blocks.map((b) => ({ ...b, flops: jsonCount(b.flops) })),
    },
    processes: s.processes,
  };
}
