// What to profile. Every check of user input happens here, before any work starts.
import { UsageError } from '../errors';
import { basename } from 'node:path';
import { LARGEST_WHOLE, oneOf, wholeNumber } from '../parse';
import {
  BRANCH3_KINDS,
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
  seWidth,
} from './blocks';
import type { FileRequest } from './file-model';
import { loadFileModel } from './file-support';
import { matchName, normalName } from './network-names';
import { describeVariant, PAPER_SE, parseHiddenRule, SE_ACTIVATIONS, SE_FCS, SE_GATES, seHidden, type SeVariant } from './se-variants';
import { PRESET_ONLY, ZOO, type ZooNetwork } from './zoo';

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

export const MODELS = ['resnet50', 'resnet101', 'resnet152', 'se-resnet50', 'se-resnet101', 'se-resnet152', 'bn-inception', 'se-bn-inception'] as const;
export type ModelName = (typeof MODELS)[number];

export interface NetworkSpec extends SpecBase, Partial<SeSettings> {
  block: 'network';
  /** One of MODELS, or a key of ZOO (torchvision's and Cadene's spellings). */
  model: string;
  /** ResNets only: v1 strides the first 1x1 conv of a downsampling bottleneck (Caffe, SENet), v1.5 the 3x3 (torchvision). */
  layout?: Layout;
  /** `--preset cadene`: Cadene's SE-ResNets rather than seprof's. */
  preset?: 'cadene';
  /** The SE-free twin of a ZOO network that has SE. */
  seFree?: true;
  /** SE-ResNets: where SE sits in every block (default standard). */
  sePosition?: SePosition;
  /** SE-ResNets: the stages (1-4) that have SE; absent: all. */
  seStages?: readonly number[];
}

/** A model file (ONNX or TF.js LayersModel): its graph is loaded by `fileRequest(spec)`. SE settings with --add-se only. */
export interface FileSpec extends SpecBase, Partial<SeSettings> {
  block: 'file';
  file: string;
  /** `--input NAME=1x3x224x224` entries. */
  inputs: readonly string[];
  /** Unsupported ops are an error rather than counted as zero. */
  strict: boolean;
  /** Nodes to insert SE after (what-if), with the spec's reduction and bias. */
  addSe: readonly string[];
  /** The plain twin: the model with its SE blocks (found or added) removed. */
  removeSe: boolean;
  /** `--origin LAYER=module|function|method` entries: who made an op, where the scope names mislead. */
  origins: readonly string[];
  /** Weights the file points at but does not hold are stand-in values for the measured run (`--stand-in-weights`). */
  standInWeights: boolean;
}

export type Spec = SeSpec | ResNetBlockSpec | InceptionBlockSpec | NetworkSpec | FileSpec;
export type BlockName = Exclude<Spec['block'], 'network' | 'file'>;
const BLOCKS: readonly BlockName[] = ['se', 'se-resnet', 'resnet', 'se-inception', 'inception'];

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
  seFc?: string | undefined;
  seHidden?: string | undefined;
  seActivation?: string | undefined;
  seGate?: string | undefined;
  preset?: string | undefined;
  seStages?: string | undefined;
  file?: string | undefined;
  input?: string | undefined;
  strict?: boolean | undefined;
  standInWeights?: boolean | undefined;
  addSe?: string | undefined;
  origin?: string | undefined;
}

type RawKey = keyof RawSpecOptions;

const DEFAULTS = {
  reduction: 16,
  batch: 1,
  size: { se: 7, resnet: 56, inception: 28, network: 224 },
  inceptionChannels: 192,
} as const;

/** The options that choose the field's SE over the paper's. */
const VARIANT_KEYS = ['seFc', 'seHidden', 'seActivation', 'seGate'] as const satisfies readonly RawKey[];
/** The options each block family takes, beyond block, batch, height and width. */
const OPTIONS_OF: Record<'se' | 'resnet' | 'inception', readonly RawKey[]> = {
  se: ['channels', 'reduction', 'bias', ...VARIANT_KEYS],
  resnet: ['channels', 'reduction', 'bias', 'kind', 'planes', 'stride', 'strideOn', 'sePosition', ...VARIANT_KEYS],
  inception: ['channels', 'reduction', 'bias', 'widths', 'branch3', 'pool', ...VARIANT_KEYS],
};
const ALL_KEYS: readonly RawKey[] = [
  'block',
  'batch',
  'height',
  'width',
  ...OPTIONS_OF.resnet,
  'widths',
  'branch3',
  'pool',
  'model',
  'layout',
  'preset',
  'seStages',
  'input',
  'strict',
  'standInWeights',
  'addSe',
  'origin',
];
const SE_ONLY: readonly RawKey[] = ['reduction', 'bias', 'sePosition', 'seStages', ...VARIANT_KEYS];
const COMMON: readonly RawKey[] = ['block', 'batch', 'height', 'width'];

const flag = (key: RawKey): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The ZOO entry a network spec names, or undefined for seprof's own networks. */
export function zooOf(spec: NetworkSpec): ZooNetwork | undefined {
  return ZOO.get(spec.model);
}

/** Whether the spec has SE, and so SE's settings. */
export function hasSe(spec: Spec): spec is Spec & SeSettings {
  const zoo = spec.block === 'network' ? zooOf(spec) : undefined;
  if (spec.block === 'network' && zoo !== undefined) return zoo.se !== null && spec.seFree !== true;
  const name = spec.block === 'network' ? spec.model : spec.block;
  return name === 'se' || name.startsWith('se-');
}

/** SE's settings alone, out of a spec that has them. */
export function seSettingsOf(spec: SeSettings): SeSettings {
  return { reduction: spec.reduction, bias: spec.bias, ...(spec.variant && { variant: spec.variant }) };
}

/** A ResNet block spec as the block config both derivations build from. */
export function resnetConfig(spec: ResNetBlockSpec): ResNetBlockConfig {
  const { kind, planes, stride, strideOn } = spec;
  return spec.block === 'se-resnet'
    ? { kind, planes, stride, strideOn, sePosition: spec.sePosition, se: seSettingsOf(spec) }
    : { kind, planes, stride, strideOn, sePosition: 'standard', se: null };
}

export function family(block: BlockName): 'se' | 'resnet' | 'inception' {
  return block === 'se' ? 'se' : block.endsWith('resnet') ? 'resnet' : 'inception';
}

/** The same block without SE, or undefined for the SE module itself. */
export function plainTwin(spec: Spec): Spec | undefined {
  switch (spec.block) {
    case 'se-resnet': {
      const { reduction, bias, variant, sePosition, ...plain } = spec;
      return { ...plain, block: 'resnet' };
    }
    case 'se-inception': {
      const { reduction, bias, variant, ...plain } = spec;
      return { ...plain, block: 'inception' };
    }
    case 'network': {
      if (!hasSe(spec)) return undefined;
      const { reduction, bias, sePosition, seStages, ...plain } = spec;
      return zooOf(spec) === undefined ? { ...plain, model: spec.model.replace(/^se-/, '') } : { ...plain, seFree: true };
    }
    case 'file': {
      // The what-if without its added SE; a model with SE found, without its SE blocks.
      if (spec.addSe.length > 0) {
        const { reduction, bias, ...plain } = spec;
        return { ...plain, addSe: [] };
      }
      return !spec.removeSe && loadFileModel(fileRequest(spec)).seBlocks.length > 0 ? { ...spec, removeSe: true } : undefined;
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

/** The input size; --width defaults to --height, as --help says, so that --height 384 is square. */
function sizeOf(raw: RawSpecOptions, channels: number, fallback: number): InputShape {
  const height = raw.height === undefined ? fallback : wholeNumber('height', raw.height);
  return { channels, height, width: raw.width === undefined ? height : wholeNumber('width', raw.width) };
}

function requireValue(raw: RawSpecOptions, key: RawKey, hint: string): string {
  const value = raw[key];
  if (typeof value !== 'string') throw new UsageError(`${flag(key)} is required: ${hint}`);
  return value;
}

/** The SE checks: a hidden width of at least 1, and r at most the channels SE sees, so that floor(C / r) >= 1. */
function checkReduction(reduction: number, channels: number, where: string, variant?: SeVariant): void {
  if (variant !== undefined && variant.hidden.rule !== 'floor') {
    if (seHidden(channels, reduction, variant.hidden) < 1) {
      throw new UsageError(`--se-hidden gives SE on the ${channels} channels ${where} a hidden width of 0`);
    }
    return;
  }
  if (reduction > channels) {
    throw new UsageError(`--reduction ${reduction} is larger than the ${channels} channels ${where}: the SE hidden width floor(C / r) would be 0`);
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
  checkWidth(
    [c1, c3, c5, pp].reduce((sum, c) => sum + BigInt(c), 0n),
    `--widths ${value} (concatenating c1 + c3 + c5 + pp)`,
  );
  return { c1, c3r, c3, c5r, c5, pp };
}

/** The channels SE sees in a ResNet block: the block input for SE-PRE, else the block output. */
function resnetSeChannels(spec: SeResNetBlockSpec): number {
  if (spec.sePosition === '3x3') return spec.planes;
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
  if (kind === 'basic' && spec.sePosition === '3x3') throw new UsageError("--se-position 3x3 applies to bottleneck blocks (the paper's SE_3x3)");
  checkReduction(spec.reduction, resnetSeChannels(spec), `SE sees at --se-position ${spec.sePosition}`, spec.variant);
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
  checkReduction(se.reduction, inceptionOutputChannels(shape.widths), 'of the concatenation', se.variant);
  return { block, input, ...base, ...se, ...shape };
}

export function isResNetModel(model: string): boolean {
  return model.replace(/^se-/, '') in RESNET_DEPTHS;
}

const NETWORK_KEYS: readonly RawKey[] = ['model', 'layout', 'batch', 'height', 'width', 'reduction', 'bias', 'sePosition', 'seStages'];

/** `--se-stages 2,3`: the ResNet stages, 1 to 4, that get SE (the paper's stage ablation). */
function parseStages(value: string): number[] {
  const stages = value.split(',').map((part) => wholeNumber('se-stages', part));
  if (stages.some((s) => s > 4)) throw new UsageError(`--se-stages takes stages 1 to 4, e.g. 2,3; got '${value}'`);
  return [...new Set(stages)].sort((a, b) => a - b);
}

function buildNetwork(raw: RawSpecOptions, model: ModelName, { base, se }: Common): NetworkSpec {
  const withSe = model.startsWith('se-');
  rejectStrayOptions(raw, NETWORK_KEYS, !withSe, `--model ${model}`);
  const resnet = isResNetModel(model);
  for (const key of ['layout', 'sePosition', 'seStages'] as const) {
    if (!resnet && raw[key] !== undefined) throw new UsageError(`${flag(key)} applies to ResNets, not ${model}`);
  }
  return {
    block: 'network',
    input: sizeOf(raw, 3, DEFAULTS.size.network),
    ...base,
    ...(withSe && se),
    model,
    ...(resnet && { layout: oneOf('layout', raw.layout ?? 'v1.5', LAYOUTS) }),
    ...(raw.sePosition !== undefined && { sePosition: oneOf('se-position', raw.sePosition, SE_POSITIONS) }),
    ...(raw.seStages !== undefined && { seStages: parseStages(raw.seStages) }),
  };
}

const ZOO_KEYS: readonly RawKey[] = ['model', 'preset', 'batch', 'height', 'width', 'reduction'];

/** A network as torchvision or Cadene defines it: its SE is fixed but for the reduction ratio. */
function buildZooNetwork(raw: RawSpecOptions, model: string, zoo: ZooNetwork, { base }: Common): NetworkSpec {
  rejectStrayOptions(raw, ZOO_KEYS, zoo.se === null, `--model ${model}`);
  const input = sizeOf(raw, 3, zoo.size);
  const refused = zoo.refuseSize?.(input.height, input.width);
  if (refused !== undefined) throw new UsageError(`--model ${model} cannot take a ${input.height}x${input.width} input: ${refused}`);
  const reduction = raw.reduction === undefined ? zoo.se?.reduction : wholeNumber('reduction', raw.reduction);
  return {
    block: 'network',
    input,
    ...base,
    ...(reduction !== undefined && { reduction, bias: true }),
    model,
    ...(raw.preset !== undefined && { preset: 'cadene' as const }),
  };
}

/**
 * timm's resnet.py SE networks (seresnet50, seresnext50_32x4d, ...) look like seprof's names but
 * are none of its networks: torchvision-style ResNets whose SE squeezes with x.mean, with 1x1-conv
 * FCs with biases and a make_divisible width; se-resnet50 (the paper's SE) would be a wrong answer.
 */
function refuseTimmResnet(value: string): void {
  const name = normalName(value);
  if (!/^seres(net|next)\d/.test(name)) return;
  throw new UsageError(
    `--model '${value}' is timm's resnet.py ${name}, which seprof does not build (its SE: x.mean, 1x1 convs with biases, make_divisible widths); ` +
      "timm's ports of Cadene's SENets are legacy_seresnet50|101|152, legacy_seresnext50_32x4d|101_32x4d and legacy_senet154, or export it to ONNX: seprof model.onnx",
  );
}

/** `--model`: seprof's own networks, or with --preset cadene / a torchvision or Cadene name, a ZOO entry. */
function buildAnyNetwork(raw: RawSpecOptions, value: string, common: Common): NetworkSpec {
  if (raw.preset !== undefined) {
    oneOf('preset', raw.preset, ['cadene']);
    const cadene = [...PRESET_ONLY].find((name) => name === normalName(value));
    const zoo = cadene === undefined ? undefined : ZOO.get(cadene);
    if (cadene === undefined || zoo === undefined) throw new UsageError(`--preset cadene applies to ${[...PRESET_ONLY].join(', ')}, not ${value}`);
    return buildZooNetwork(raw, cadene, zoo, common);
  }
  refuseTimmResnet(value);
  const name = matchName(value, [...MODELS, ...[...ZOO.keys()].filter((key) => !PRESET_ONLY.has(key))]);
  const zoo = ZOO.get(name);
  return zoo === undefined ? buildNetwork(raw, name as ModelName, common) : buildZooNetwork(raw, name, zoo, common);
}

/** The field's SE from --se-fc, --se-hidden, --se-activation and --se-gate, or undefined when none is given. */
function parseVariant(raw: RawSpecOptions): SeVariant | undefined {
  if (VARIANT_KEYS.every((key) => raw[key] === undefined)) return undefined;
  const hidden = raw.seHidden === undefined ? PAPER_SE.hidden : parseHiddenRule(raw.seHidden);
  if (hidden.rule === 'width' && raw.reduction !== undefined) throw new UsageError('--reduction does not apply to an explicit --se-hidden width');
  return {
    fc: oneOf('se-fc', raw.seFc ?? PAPER_SE.fc, SE_FCS),
    activation: oneOf('se-activation', raw.seActivation ?? PAPER_SE.activation, SE_ACTIVATIONS),
    gate: oneOf('se-gate', raw.seGate ?? PAPER_SE.gate, SE_GATES),
    hidden,
    naming: 'seprof',
  };
}

/** The file model request of a file spec. */
export function fileRequest(spec: FileSpec): FileRequest {
  const se = { reduction: spec.reduction ?? DEFAULTS.reduction, bias: spec.bias ?? false };
  return { file: spec.file, inputs: spec.inputs, addSe: spec.addSe, se, removeSe: spec.removeSe, origins: spec.origins, standInWeights: spec.standInWeights };
}

const FILE_KEYS: readonly RawKey[] = ['file', 'input', 'strict', 'standInWeights', 'addSe', 'origin', 'reduction', 'bias'];

/** --add-se's comma-separated names: none empty, none twice (checked in one pass: thousands of names stay fast). */
function addSeTargets(text: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === ''))
    throw new UsageError(`--add-se needs layer or node names, comma-separated; got an empty one in '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UsageError(`--add-se names '${name.length > 80 ? `${name.slice(0, 80)}…` : name}' twice: SE goes once after a layer`);
    seen.add(name);
  }
  return names;
}

/** Reads the file now: a file that cannot be profiled is a user mistake before any work starts. */
function buildFile(raw: RawSpecOptions, file: string, { base, se }: Common): FileSpec {
  rejectStrayOptions(raw, FILE_KEYS, false, '--file (the model file fixes the shapes; set open dimensions with --input)');
  const addSe = raw.addSe === undefined ? [] : addSeTargets(raw.addSe);
  if (addSe.length === 0 && (raw.reduction !== undefined || raw.bias !== undefined)) {
    throw new UsageError(`${raw.reduction !== undefined ? '--reduction' : '--bias'} applies to --file with --add-se`);
  }
  const inputs = raw.input === undefined ? [] : raw.input.split(',').map((part) => part.trim());
  const origins =
    raw.origin === undefined
      ? []
      : raw.origin
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '');
  const spec: FileSpec = {
    block: 'file',
    file,
    inputs,
    strict: raw.strict ?? false,
    addSe,
    removeSe: false,
    origins,
    standInWeights: raw.standInWeights ?? false,
    ...base,
    ...(addSe.length > 0 && se),
    input: { channels: 0, height: 0, width: 0 },
  };
  const { inferred } = loadFileModel(fileRequest(spec));
  const first = inferred.inputShapes.values().next().value ?? [];
  const [batch = 1, channels = 0, height = 1, width = 1] = first;
  return { ...spec, batch, input: { channels, height, width } };
}

export function buildSpec(raw: RawSpecOptions): Spec {
  const variant = parseVariant(raw);
  const common: Common = {
    base: { batch: raw.batch === undefined ? DEFAULTS.batch : wholeNumber('batch', raw.batch) },
    se: {
      reduction: raw.reduction === undefined ? DEFAULTS.reduction : wholeNumber('reduction', raw.reduction),
      bias: raw.bias ?? false,
      ...(variant && { variant }),
    },
  };
  if (raw.file !== undefined) return buildFile(raw, raw.file, common);
  if (raw.model !== undefined) return buildAnyNetwork(raw, raw.model, common);
  if (raw.layout !== undefined) throw new UsageError('--layout applies to --model networks');
  if (raw.preset !== undefined) throw new UsageError('--preset applies to --model networks');
  const block = oneOf('block', raw.block ?? 'se', BLOCKS);
  rejectStrayOptions(raw, [...COMMON, ...OPTIONS_OF[family(block)]], block === 'resnet' || block === 'inception', `--block ${block}`);
  switch (block) {
    case 'se': {
      const channels = wholeNumber('channels', requireValue(raw, 'channels', 'the number of input channels, e.g. --channels 512'));
      checkReduction(common.se.reduction, channels, 'of the input', variant);
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
  // Networks of the ZOO came after the upgrade: their reports are in today's form.
  if (typeof name !== 'string' || ZOO.has(name)) return { ...spec };
  const stale = new Set<string>();
  if (name !== 'se' && !name.startsWith('se-')) stale.add('reduction').add('bias').add('sePosition');
  if (block === 'network' && !((MODELS as readonly string[]).includes(name) && isResNetModel(name as ModelName))) stale.add('layout');
  return Object.fromEntries(Object.entries(spec).filter(([key]) => !stale.has(key)));
}

/** `, conv1x1+bias, silu, hardsigmoid, m = ...` for the field's SE, or `, bias` / nothing for the paper's. */
function seWords(spec: SeSettings): string {
  const words = spec.variant === undefined ? '' : describeVariant(spec.variant, spec.reduction, spec.bias);
  return words === '' ? (spec.bias ? ', bias' : '') : `, ${words}`;
}

function describeSe(spec: SeSettings, channels: number): string {
  return `SE(r=${spec.reduction}, hidden ${seWidth(channels, spec)}${seWords(spec)})`;
}

function describeNetwork(spec: NetworkSpec, on: string): string {
  const zoo = zooOf(spec);
  if (zoo !== undefined) {
    const se = !hasSe(spec) ? (zoo.se === null ? 'no SE' : 'without SE') : `SE r=${spec.reduction}: ${zoo.se?.words(spec.reduction) ?? ''}`;
    return `${spec.model} (${zoo.source}; ${se}) ${on}`;
  }
  const where = `${spec.sePosition === undefined ? '' : `, ${spec.sePosition}`}${spec.seStages === undefined ? '' : `, stages ${spec.seStages.join(',')}`}`;
  const se = hasSe(spec) ? ` (SE r=${spec.reduction}${spec.bias ? ', bias' : ''}${where})` : '';
  return `${spec.model}${spec.layout === undefined ? '' : ` ${spec.layout}`}${se} ${on}`;
}

function describeFile(spec: FileSpec): string {
  const { inferred } = loadFileModel(fileRequest(spec));
  const g = inferred.graph;
  const format = g.format === 'onnx' ? `ONNX opset ${g.opset}` : g.format === 'tfjs-graph' ? 'TF.js GraphModel' : 'TF.js LayersModel';
  const inputs = [...inferred.inputShapes].map(([name, shape]) => `${name} ${shape.join('x')}`).join(', ');
  const se = spec.addSe.length > 0 ? ` + SE(r=${spec.reduction}${spec.bias ? ', bias' : ''}) after ${spec.addSe.join(', ')}` : '';
  return `${basename(spec.file)} (${format}${g.producer === '' ? '' : `, ${g.producer}`})${se}${spec.removeSe ? ' without SE' : ''} on ${inputs}`;
}

export function describeSpec(spec: Spec): string {
  if (spec.block === 'file') return describeFile(spec);
  const { channels, height, width } = spec.input;
  const on = `on ${spec.batch}x${channels}x${height}x${width}`;
  switch (spec.block) {
    case 'se':
      return `SEAttention(${channels}, r=${spec.reduction}${seWords(spec)}) ${on} · hidden width ${seWidth(channels, spec)}`;
    case 'resnet':
    case 'se-resnet': {
      const stride = spec.kind === 'bottleneck' ? `stride ${spec.stride} on ${spec.strideOn}` : `stride ${spec.stride}`;
      const se = spec.block === 'se-resnet' ? ` + ${describeSe(spec, resnetSeChannels(spec))} ${spec.sePosition}` : '';
      return `${spec.block === 'se-resnet' ? 'SE-ResNet' : 'ResNet'} ${spec.kind} block (planes ${spec.planes}, ${stride}${se}) ${on}`;
    }
    case 'network':
      return describeNetwork(spec, on);
    case 'inception':
    case 'se-inception': {
      const w = spec.widths;
      const widths = [w.c1, w.c3r, w.c3, w.c5r, w.c5, w.pp].join(',');
      const se = spec.block === 'se-inception' ? ` + ${describeSe(spec, inceptionOutputChannels(w))}` : '';
      return `${spec.block === 'se-inception' ? 'SE-Inception' : 'Inception'} block (widths ${widths}, branch3 ${spec.branch3}, ${spec.pool} pool${se}) ${on}`;
    }
  }
}
