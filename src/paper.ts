// The SENet paper's published complexity figures (arXiv 1709.01507, journal version) and
// seprof's counts of the same networks, under every convention and ResNet layout.
import { analyticOps } from './analyzers/analytic';
import { CONVENTION_KEYS } from './analyzers/conventions';
import { countLayer, totalsOf, type Totals } from './analyzers/count';
import { LAYOUTS, type Layout } from './model/blocks';
import { buildSpec, isResNetModel, plainTwin, type RawSpecOptions } from './model/spec';

/** A network the paper reports on, as seprof builds it. */
export interface PaperNetwork {
  /** seprof's name for it (`--model`). */
  model: string;
  /** What else builds the paper's network: seprof options, or the SE-free twin. */
  variant?: { seStages: string } | { sePosition: '3x3' } | { withoutSe: true };
}

export interface PublishedFlops extends PaperNetwork {
  /** GFLOPs as printed, two decimals. */
  gflops: string;
  /** Where the paper prints it, with the paper's own name where seprof's differs. */
  source: string;
}

export interface PublishedParams extends PaperNetwork {
  reduction?: number;
  /** Millions of parameters as printed, one decimal. */
  millions: string;
  source: string;
}

/** What SE adds to ResNet-50's parameters, as Sec. 4 words it. */
export interface PublishedSeShare extends PaperNetwork {
  /** "~2.5 million", or undefined where the paper gives only the percentage. */
  millions?: string;
  percent: string;
  source: string;
}

// The paper's stages are numbered by Table 1's conv2_x..conv5_x; seprof's --se-stages by
// torchvision's layer1..layer4, so the paper's "SE Stage 2" is seprof's stage 1.
const stage = (paperStage: number): PaperNetwork => ({ model: 'se-resnet50', variant: { seStages: String(paperStage - 1) } });
const SE_3X3: PaperNetwork = { model: 'se-resnet50', variant: { sePosition: '3x3' } };

/** Table 2 ("re-implementation" GFLOPs for the plain networks, "SENet" for SE, r = 16), Tables 13 and 15. */
export const PUBLISHED_FLOPS: readonly PublishedFlops[] = [
  { model: 'resnet50', gflops: '3.86', source: 'Table 2, 13, 16' },
  { model: 'se-resnet50', gflops: '3.87', source: 'Table 2, 13, 15, 16' },
  { model: 'resnet101', gflops: '7.58', source: 'Table 2' },
  { model: 'se-resnet101', gflops: '7.60', source: 'Table 2' },
  { model: 'resnet152', gflops: '11.30', source: 'Table 2' },
  { model: 'se-resnet152', gflops: '11.32', source: 'Table 2' },
  { model: 'bn-inception', gflops: '2.03', source: 'Table 2' },
  { model: 'se-bn-inception', gflops: '2.04', source: 'Table 2' },
  { model: 'resnext50_32x4d', gflops: '4.24', source: 'Table 2, ResNeXt-50' },
  { model: 'se_resnext50_32x4d', gflops: '4.25', source: 'Table 2, ResNeXt-50' },
  { model: 'se_resnext101_32x4d', variant: { withoutSe: true }, gflops: '7.99', source: 'Table 2, ResNeXt-101' },
  { model: 'se_resnext101_32x4d', gflops: '8.00', source: 'Table 2, ResNeXt-101' },
  { ...stage(2), gflops: '3.86', source: 'Table 13, SE Stage 2' },
  { ...stage(3), gflops: '3.86', source: 'Table 13, SE Stage 3' },
  { ...stage(4), gflops: '3.86', source: 'Table 13, SE Stage 4' },
  { ...SE_3X3, gflops: '3.86', source: 'Table 15, SE 3x3' },
];

/** Table 10 (reduction ratio ablation, SE-ResNet-50, FC layers without bias), Tables 13 and 15. */
export const PUBLISHED_PARAMS: readonly PublishedParams[] = [
  { model: 'se-resnet50', reduction: 2, millions: '45.7', source: 'Table 10' },
  { model: 'se-resnet50', reduction: 4, millions: '35.7', source: 'Table 10' },
  { model: 'se-resnet50', reduction: 8, millions: '30.7', source: 'Table 10' },
  { model: 'se-resnet50', reduction: 16, millions: '28.1', source: 'Table 10, 13, 15, 16' },
  { model: 'se-resnet50', reduction: 32, millions: '26.9', source: 'Table 10' },
  { model: 'resnet50', millions: '25.6', source: 'Table 10, 13, 16' },
  { ...stage(2), millions: '25.6', source: 'Table 13, SE Stage 2' },
  { ...stage(3), millions: '25.7', source: 'Table 13, SE Stage 3' },
  { ...stage(4), millions: '26.4', source: 'Table 13, SE Stage 4' },
  { ...SE_3X3, millions: '25.8', source: 'Table 15, SE 3x3' },
];

/** Sec. 4: "~2.5 million additional parameters ... a ~10% increase"; without the final stage "~4%". */
export const PUBLISHED_SE_SHARES: readonly PublishedSeShare[] = [
  { model: 'se-resnet50', millions: '2.5', percent: '10', source: 'Sec. 4' },
  { model: 'se-resnet50', variant: { seStages: '1,2,3' }, percent: '4', source: 'Sec. 4' },
];

/** What the paper reports on that seprof does not set beside a count, and why. */
export const NOT_SET =
  'Not set here: VGG-16 and Inception-ResNet-v2 (Table 2), MobileNet and ShuffleNet (Table 3) and NoSqueeze (Table 16), ' +
  'which seprof does not build, and SENet-154, for which the paper gives error rates only (Table 8)';

/** The row's name: seprof's network and the options that make it the paper's. */
export function labelOf(network: PaperNetwork, reduction?: number): string {
  const variant = network.variant;
  const options =
    variant === undefined
      ? ''
      : 'seStages' in variant
        ? ` --se-stages ${variant.seStages}`
        : 'sePosition' in variant
          ? ` --se-position ${variant.sePosition}`
          : ' without SE';
  return `${network.model}${options}${reduction === undefined ? '' : ` r=${reduction}`}`;
}

function totalsFor(network: PaperNetwork, layout: Layout | undefined, reduction?: number): Totals {
  const variant = network.variant;
  const raw: RawSpecOptions = {
    model: network.model,
    ...(layout !== undefined && { layout }),
    ...(reduction !== undefined && { reduction: String(reduction) }),
    ...(variant !== undefined && 'seStages' in variant && { seStages: variant.seStages }),
    ...(variant !== undefined && 'sePosition' in variant && { sePosition: variant.sePosition }),
  };
  const built = buildSpec(raw);
  const spec = variant !== undefined && 'withoutSe' in variant ? plainTwin(built) : built;
  if (spec === undefined) throw new Error(`${network.model} has no SE-free twin`);
  return totalsOf(analyticOps(spec).map(countLayer));
}

/** n / unit rounded half up to `digits` decimals, as the paper prints. */
export function rounded(n: bigint, unit: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const scaled = (n * scale * 2n + unit) / (2n * unit);
  return digits === 0 ? `${scaled}` : `${scaled / scale}.${(scaled % scale).toString().padStart(digits, '0')}`;
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
      const totals = totalsFor(published, layout);
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
  return keys.map((key) => ({ key, reproduced: rows.filter((row) => reproducesFlops(row, key)).length })).sort((a, b) => b.reproduced - a.reproduced);
}

export interface ParamsRow extends PublishedParams {
  params: bigint;
}

// Parameters do not depend on the layout; v1 is the paper's.
export function paramsRows(): ParamsRow[] {
  return PUBLISHED_PARAMS.map((published) => ({ ...published, params: totalsFor(published, 'v1', published.reduction).params }));
}

export interface SeShareRow extends PublishedSeShare {
  /** Parameters SE adds, and the plain ResNet-50's. */
  added: bigint;
  plain: bigint;
}

export function seShareRows(): SeShareRow[] {
  const plain = totalsFor({ model: 'resnet50' }, 'v1').params;
  return PUBLISHED_SE_SHARES.map((published) => ({ ...published, added: totalsFor(published, 'v1').params - plain, plain }));
}
