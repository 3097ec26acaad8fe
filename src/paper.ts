// The SENet paper's published complexity figures (arXiv 1709.01507, journal version) and
// seprof's counts of the same networks, under every convention and ResNet layout.
import { analyticOps } from './analyzers/analytic';
import { CONVENTION_KEYS } from './analyzers/conventions';
import { countLayer, totalsOf, type Totals } from './analyzers/count';
import { LAYOUTS, type Layout } from './model/blocks';
import { buildSpec, isResNetModel, type ModelName } from './model/spec';

export interface PublishedFlops {
  model: ModelName;
  /** GFLOPs as printed, two decimals. */
  gflops: string;
  source: string;
}

export interface PublishedParams {
  model: ModelName;
  reduction?: number;
  /** Millions of parameters as printed, one decimal. */
  millions: string;
  source: string;
}

/** Table 2: "re-implementation" GFLOPs for the plain networks, "SENet" for SE (r = 16). */
export const PUBLISHED_FLOPS: readonly PublishedFlops[] = [
  { model: 'resnet50', gflops: '3.86', source: 'Table 2, Sec. 4' },
  { model: 'se-resnet50', gflops: '3.87', source: 'Table 2, Sec. 4' },
  { model: 'resnet101', gflops: '7.58', source: 'Table 2' },
  { model: 'se-resnet101', gflops: '7.60', source: 'Table 2' },
  { model: 'resnet152', gflops: '11.30', source: 'Table 2' },
  { model: 'se-resnet152', gflops: '11.32', source: 'Table 2' },
  { model: 'bn-inception', gflops: '2.03', source: 'Table 2' },
  { model: 'se-bn-inception', gflops: '2.04', source: 'Table 2' },
];

/** Table 10 (reduction ratio ablation, SE-ResNet-50, FC layers without bias). */
export const PUBLISHED_PARAMS: readonly PublishedParams[] = [
  { model: 'se-resnet50', reduction: 2, millions: '45.7', source: 'Table 10' },
  { model: 'se-resnet50', reduction: 4, millions: '35.7', source: 'Table 10' },
  { model: 'se-resnet50', reduction: 8, millions: '30.7', source: 'Table 10' },
  { model: 'se-resnet50', reduction: 16, millions: '28.1', source: 'Table 10, 13, 15, 16' },
  { model: 'se-resnet50', reduction: 32, millions: '26.9', source: 'Table 10' },
  { model: 'resnet50', millions: '25.6', source: 'Table 10, 13, 16' },
];

/** Sec. 4: "SE-ResNet-50 introduces ~2.5 million additional parameters ... a ~10% increase". */
export const PUBLISHED_SE_PARAMS = { millions: '2.5', percent: '10', source: 'Sec. 4' } as const;

function totalsFor(model: ModelName, layout: Layout | undefined, reduction?: number): Totals {
  const spec = buildSpec({
    model,
    ...(layout !== undefined && isResNetModel(model) && { layout }),
    ...(reduction !== undefined && { reduction: String(reduction) }),
  });
  return totalsOf(analyticOps(spec).map(countLayer));
}

/** n / unit rounded half up to `digits` decimals, as the paper prints. */
export function rounded(n: bigint, unit: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const scaled = (n * scale * 2n + unit) / (2n * unit);
  return `${scaled / scale}.${(scaled % scale).toString().padStart(digits, '0')}`;
}

export interface FlopsRow extends PublishedFlops {
  /** Counts by `${convention} ${layout}` (layout `-` for networks without one). */
  counts: Record<string, bigint>;
}

export function flopsRows(): FlopsRow[] {
  return PUBLISHED_FLOPS.map((published) => {
    const layouts = isResNetModel(published.model) ? LAYOUTS : ([undefined] as const);
    const counts: Record<string, bigint> = {};
    for (const layout of layouts) {
      const totals = totalsFor(published.model, layout);
      for (const key of CONVENTION_KEYS) counts[`${key} ${layout ?? '-'}`] = totals.counts[key] ?? 0n;
    }
    return { ...published, counts };
  });
}

export const GIGA = 10n ** 9n;
export const MEGA = 10n ** 6n;

/** Whether a count printed like the paper (two decimals of G) equals the paper's figure. */
export function reproducesFlops(row: FlopsRow, key: string): boolean {
  const count = row.counts[key] ?? row.counts[`${key.split(' ')[0]} -`];
  return count !== undefined && rounded(count, GIGA, 2) === row.gflops;
}

/** Every `${convention} ${layout}` and how many published GFLOPs it reproduces, best first. */
export function reproduction(rows: readonly FlopsRow[]): { key: string; reproduced: number }[] {
  const keys = CONVENTION_KEYS.flatMap((k) => LAYOUTS.map((layout) => `${k} ${layout}`));
  return keys
    .map((key) => ({ key, reproduced: rows.filter((row) => reproducesFlops(row, key)).length }))
    .sort((a, b) => b.reproduced - a.reproduced);
}

export interface ParamsRow extends PublishedParams {
  params: bigint;
}

export function paramsRows(): ParamsRow[] {
  return PUBLISHED_PARAMS.map((published) => ({ ...published, params: totalsFor(published.model, 'v1', published.reduction).params }));
}
