// What to profile. Every check of user input happens here, before any work starts.
import { UsageError } from '../errors';
import { LARGEST_WHOLE, oneOf, wholeNumber } from '../parse';
import {
  BRANCH3_KINDS,
  hiddenWidth,
  INCEPTION_3A,
  inceptionOutputChannels,
  LAYOUTS,
  POOL_KINDS,
  RESNET_DEPTHS,
  RESNET_KINDS,
  resnetOutputChannels,
  SE_POSITIONS,
  STRIDE_PLACES,
  type InceptionBlockShape,
  type Layout,
  type ResNetBlockConfig,
  type ResNetBlockShape,
  type SePosition,
  type SeSettings,
} from './blocks';

export interface InputShape {
  channels: number;
  height: number;
  width: number;
}

// A spec holds only what applies to it: SE's reduction and bias on specs with SE, the
// position on SE-ResNet blocks, the layout on ResNets. A spec is a case's identity in compare.
interface SpecBase {
  input: InputShape;
  batch: number;
}

export interface SeSpec extends SpecBase, SeSettings {
  block: 'se';
}

export interface PlainResNetBlockSpec extends SpecBase, ResNetBlockShape {
  block: 'resnet';
}

export interface SeResNetBlockSpec extends SpecBase, SeSettings, ResNetBlockShape {
  block: 'se-resnet';
  sePosition: SePosition;
}

export type ResNetBlockSpec = PlainResNetBlockSpec | SeResNetBlockSpec;

export interface PlainInceptionBlockSpec extends SpecBase, InceptionBlockShape {
  block: 'inception';
}

export interface SeInceptionBlockSpec extends SpecBase, SeSettings, InceptionBlockShape {
  block: 'se-inception';
}

export type InceptionBlockSpec = PlainInceptionBlockSpec | SeInceptionBlockSpec;

export const MODELS = [
  'resnet50',
  'resnet101',
  'resnet152',
  'se-resnet50',
  'se-resnet101',
  'se-resnet152',
  'bn-inception',
  'se-bn-inception',
] as const;
export type ModelName = (typeof MODELS)[number];

export interface NetworkSpec extends SpecBase, Partial<SeSettings> {
  block: 'network';
  model: ModelName;
  /** ResNets only: v1 strides the first 1x1 conv of a downsampling bottleneck (Caffe, SENet), v1.5 the 3x3 (torchvision). */
  layout?: Layout;
}

export type Spec = SeSpec | ResNetBlockSpec | InceptionBlockSpec | NetworkSpec;
export type BlockName = Exclude<Spec['block'], 'network'>;
export const BLOCKS: readonly BlockName[] = ['se', 'se-resnet', 'resnet', 'se-inception', 'inception'];

/** Raw option values as the CLI received them: strings, or absent when not given. */
export interface RawSpecOptions {
  block?: string | undefined;
  channels?: string | undefined;
  reduction?: string | undefined;
  height?: string | undefined;
  width?: string | undefined;
  batch?: string | undefined;
  bias?: boolean | undefined;
  kind?: string | undefined;
  planes?: string | undefined;
  stride?: string | undefined;
  strideOn?: string | undefined;
  sePosition?: string | undefined;
  widths?: string | undefined;
  branch3?: string | undefined;
  pool?: string | undefined;
  model?: string | undefined;
  layout?: string | undefined;
}

type RawKey = keyof RawSpecOptions;

export const DEFAULTS = {
  reduction: 16,
  batch: 1,
  size: { se: 7, resnet: 56, inception: 28, network: 224 },
  inceptionChannels: 192,
} as const;

/** The options each block family takes, beyond block, batch, height and width. */
const OPTIONS_OF: Record<'se' | 'resnet' | 'inception', readonly RawKey[]> = {
  se: ['channels', 'reduction', 'bias'],
  resnet: ['channels', 'reduction', 'bias', 'kind', 'planes', 'stride', 'strideOn', 'sePosition'],
  inception: ['channels', 'reduction', 'bias', 'widths', 'branch3', 'pool'],
};
const ALL_KEYS: readonly RawKey[] = ['block', 'batch', 'height', 'width', ...OPTIONS_OF.resnet, 'widths', 'branch3', 'pool', 'model', 'layout'];
const SE_ONLY: readonly RawKey[] = ['reduction', 'bias', 'sePosition'];
const COMMON: readonly RawKey[] = ['block', 'batch', 'height', 'width'];

const flag = (key: RawKey): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Whether the spec has SE, and so SE's settings. */
export function hasSe(spec: Spec): spec is Spec & SeSettings {
  const name = spec.block === 'network' ? spec.model : spec.block;
  return name === 'se' || name.startsWith('se-');
}

/** A ResNet block spec as the block config both derivations build from. */
export function resnetConfig(spec: ResNetBlockSpec): ResNetBlockConfig {
  const { kind, planes, stride, strideOn } = spec;
  return spec.block === 'se-resnet'
    ? { kind, planes, stride, strideOn, sePosition: spec.sePosition, se: { reduction: spec.reduction, bias: spec.bias } }
    : { kind, planes, stride, strideOn, sePosition: 'standard', se: null };
}

export function family(block: BlockName): 'se' | 'resnet' | 'inception' {
  return block === 'se' ? 'se' : block.endsWith('resnet') ? 'resnet' : 'inception';
}

/** The same block without SE, or undefined for the SE module itself. */
export function plainTwin(spec: Spec): Spec | undefined {
  switch (spec.block) {
    case 'se-resnet': {
      const { reduction, bias, sePosition, ...plain } = spec;
      return { ...plain, block: 'resnet' };
    }
    case 'se-inception': {
      const { reduction, bias, ...plain } = spec;
      return { ...plain, block: 'inception' };
    }
    case 'network': {
      if (!hasSe(spec)) return undefined;
      const { reduction, bias, ...plain } = spec;
      return { ...plain, model: spec.model.replace(/^se-/, '') as ModelName };
    }
    default:
      return undefined;
  }
}

/** Every option given must mean something for what is profiled: a silent no-op hides mistakes. */
function rejectStrayOptions(raw: RawSpecOptions, allowed: readonly RawKey[], plain: boolean, what: string): void {
  for (const key of ALL_KEYS) {
    if (raw[key] === undefined) continue;
    if (!allowed.includes(key)) throw new UsageError(`${flag(key)} does not apply to ${what}`);
    if (plain && SE_ONLY.includes(key)) throw new UsageError(`${flag(key)} does not apply to ${what}, which has no SE`);
  }
}

function sizeOf(raw: RawSpecOptions, channels: number, fallback: number): InputShape {
  return {
    channels,
    height: raw.height === undefined ? fallback : wholeNumber('height', raw.height),
    width: raw.width === undefined ? fallback : wholeNumber('width', raw.width),
  };
}

function requireValue(raw: RawSpecOptions, key: RawKey, hint: string): string {
  const value = raw[key];
  if (typeof value !== 'string') throw new UsageError(`${flag(key)} is required: ${hint}`);
  return value;
}

/** The SE checks: r at most the channels SE sees, so that floor(C / r) >= 1. */
function checkReduction(reduction: number, channels: number, where: string): void {
  if (reduction > channels) {
    throw new UsageError(
      `--reduction ${reduction} is larger than the ${channels} channels ${where}: the SE hidden width floor(C / r) would be 0`,
    );
  }
}

/** Every dimension must stay a safe integer (see Shape): a block that would widen past it is refused. */
function checkWidth(width: bigint, what: string): void {
  if (width > LARGEST_WHOLE) throw new UsageError(`${what} gives ${width} channels, too many: at most ${LARGEST_WHOLE} (2^53 - 1)`);
}

function parseWidths(value: string): InceptionBlockShape['widths'] {
  const parts = value.split(',');
  if (parts.length !== 6) {
    throw new UsageError(`--widths takes six widths c1,c3r,c3,c5r,c5,pp (e.g. 64,96,128,16,32,32); got '${value}'`);
  }
  const [c1, c3r, c3, c5r, c5, pp] = parts.map((part) => wholeNumber('widths', part)) as [number, number, number, number, number, number];
  checkWidth([c1, c3, c5, pp].reduce((sum, c) => sum + BigInt(c), 0n), `--widths ${value} (concatenating c1 + c3 + c5 + pp)`);
  return { c1, c3r, c3, c5r, c5, pp };
}

/** The channels SE sees in a ResNet block: the block input for SE-PRE, else the block output. */
export function resnetSeChannels(spec: SeResNetBlockSpec): number {
  return spec.sePosition === 'pre' ? spec.input.channels : resnetOutputChannels(spec);
}

/** What every spec has, and SE's settings for the specs with SE. */
interface Common {
  base: Omit<SpecBase, 'input'>;
  se: SeSettings;
}

function buildResNet(raw: RawSpecOptions, block: 'resnet' | 'se-resnet', { base, se }: Common): ResNetBlockSpec {
  const channels = wholeNumber('channels', requireValue(raw, 'channels', 'the block input channels, e.g. --channels 256'));
  const kind = oneOf('kind', raw.kind ?? 'bottleneck', RESNET_KINDS);
  const planes = wholeNumber('planes', requireValue(raw, 'planes', 'the bottleneck width P, e.g. --planes 64'));
  if (kind === 'bottleneck') checkWidth(4n * BigInt(planes), `--planes ${planes} (a bottleneck's output is 4 * planes)`);
  const stride = Number(oneOf('stride', raw.stride?.trim() ?? '1', ['1', '2'])) as 1 | 2;
  if (kind === 'basic' && raw.strideOn !== undefined) {
    throw new UsageError('--stride-on applies to bottleneck blocks: a basic block has its stride on the first 3x3 conv');
  }
  const input = sizeOf(raw, channels, DEFAULTS.size.resnet);
  const shape: ResNetBlockShape = { kind, planes, stride, strideOn: oneOf('stride-on', raw.strideOn ?? '3x3', STRIDE_PLACES) };
  if (block === 'resnet') return { block, input, ...base, ...shape };
  const spec: SeResNetBlockSpec = { block, input, ...base, ...se, ...shape, sePosition: oneOf('se-position', raw.sePosition ?? 'standard', SE_POSITIONS) };
  checkReduction(spec.reduction, resnetSeChannels(spec), `SE sees at --se-position ${spec.sePosition}`);
  return spec;
}

function buildInception(raw: RawSpecOptions, block: 'inception' | 'se-inception', { base, se }: Common): InceptionBlockSpec {
  const channels = raw.channels === undefined ? DEFAULTS.inceptionChannels : wholeNumber('channels', raw.channels);
  const input = sizeOf(raw, channels, DEFAULTS.size.inception);
  const shape: InceptionBlockShape = {
    widths: raw.widths === undefined ? INCEPTION_3A : parseWidths(raw.widths),
    branch3: oneOf('branch3', raw.branch3 ?? '5x5', BRANCH3_KINDS),
    pool: oneOf('pool', raw.pool ?? 'max', POOL_KINDS),
  };
  if (block === 'inception') return { block, input, ...base, ...shape };
  checkReduction(se.reduction, inceptionOutputChannels(shape.widths), 'of the concatenation');
  return { block, input, ...base, ...se, ...shape };
}

export function isResNetModel(model: ModelName): boolean {
  return model.replace(/^se-/, '') in RESNET_DEPTHS;
}

const NETWORK_KEYS: readonly RawKey[] = ['model', 'layout', 'batch', 'height', 'width', 'reduction', 'bias'];

function buildNetwork(raw: RawSpecOptions, model: ModelName, { base, se }: Common): NetworkSpec {
  const withSe = model.startsWith('se-');
  rejectStrayOptions(raw, NETWORK_KEYS, !withSe, `--model ${model}`);
  const resnet = isResNetModel(model);
  if (!resnet && raw.layout !== undefined) throw new UsageError(`--layout applies to ResNets, not ${model}`);
  return {
    block: 'network',
    input: sizeOf(raw, 3, DEFAULTS.size.network),
    ...base,
    ...(withSe && se),
    model,
    ...(resnet && { layout: oneOf('layout', raw.layout ?? 'v1.5', LAYOUTS) }),
  };
}

export function buildSpec(raw: RawSpecOptions): Spec {
  const common: Common = {
    base: { batch: raw.batch === undefined ? DEFAULTS.batch : wholeNumber('batch', raw.batch) },
    se: {
      reduction: raw.reduction === undefined ? DEFAULTS.reduction : wholeNumber('reduction', raw.reduction),
      bias: raw.bias ?? false,
    },
  };
  if (raw.model !== undefined) return buildNetwork(raw, oneOf('model', raw.model, MODELS), common);
  if (raw.layout !== undefined) throw new UsageError('--layout applies to --model networks');
  const block = oneOf('block', raw.block ?? 'se', BLOCKS);
  rejectStrayOptions(raw, [...COMMON, ...OPTIONS_OF[family(block)]], block === 'resnet' || block === 'inception', `--block ${block}`);
  switch (block) {
    case 'se': {
      const channels = wholeNumber('channels', requireValue(raw, 'channels', 'the number of input channels, e.g. --channels 512'));
      checkReduction(common.se.reduction, channels, 'of the input');
      return { block, input: sizeOf(raw, channels, DEFAULTS.size.se), ...common.base, ...common.se };
    }
    case 'resnet':
    case 'se-resnet':
      return buildResNet(raw, block, common);
    case 'inception':
    case 'se-inception':
      return buildInception(raw, block, common);
  }
}

/**
 * A spec as an older seprof wrote it into a report, in today's form: every spec once carried
 * SE's reduction and bias, plain ResNet blocks an SE position, and every network a layout.
 * The fields that never applied are dropped, so that old baselines keep comparing equal.
 */
export function upgradeSpecJson(spec: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { block, model } = spec;
  const name = block === 'network' ? model : block;
  if (typeof name !== 'string') return { ...spec };
  const stale = new Set<string>();
  if (name !== 'se' && !name.startsWith('se-')) stale.add('reduction').add('bias').add('sePosition');
  if (block === 'network' && !((MODELS as readonly string[]).includes(name) && isResNetModel(name as ModelName))) stale.add('layout');
  return Object.fromEntries(Object.entries(spec).filter(([key]) => !stale.has(key)));
}

function describeSe(spec: SeSettings, channels: number): string {
  return `SE(r=${spec.reduction}, hidden ${hiddenWidth(channels, spec.reduction)}${spec.bias ? ', bias' : ''})`;
}

export function describeSpec(spec: Spec): string {
  const { channels, height, width } = spec.input;
  const on = `on ${spec.batch}x${channels}x${height}x${width}`;
  switch (spec.block) {
    case 'se':
      return `SEAttention(${channels}, r=${spec.reduction}${spec.bias ? ', bias' : ''}) ${on} · hidden width ${hiddenWidth(channels, spec.reduction)}`;
    case 'resnet':
    case 'se-resnet': {
      const stride = spec.kind === 'bottleneck' ? `stride ${spec.stride} on ${spec.strideOn}` : `stride ${spec.stride}`;
      const se = spec.block === 'se-resnet' ? ` + ${describeSe(spec, resnetSeChannels(spec))} ${spec.sePosition}` : '';
      return `${spec.block === 'se-resnet' ? 'SE-ResNet' : 'ResNet'} ${spec.kind} block (planes ${spec.planes}, ${stride}${se}) ${on}`;
    }
    case 'network':
      return `${spec.model}${spec.layout === undefined ? '' : ` ${spec.layout}`}${hasSe(spec) ? ` (SE r=${spec.reduction}${spec.bias ? ', bias' : ''})` : ''} ${on}`;
    case 'inception':
    case 'se-inception': {
      const w = spec.widths;
      const widths = [w.c1, w.c3r, w.c3, w.c5r, w.c5, w.pp].join(',');
      const se = spec.block === 'se-inception' ? ` + ${describeSe(spec, inceptionOutputChannels(w))}` : '';
      return `${spec.block === 'se-inception' ? 'SE-Inception' : 'Inception'} block (widths ${widths}, branch3 ${spec.branch3}, ${spec.pool} pool${se}) ${on}`;
    }
  }
}
