// One profile of one spec: analytic counts, and when asked the measured cross-check.
import { analyticOps, inputShape } from './analytic';
import { fileOps, type Unsupported } from './analytic/file-graph';
import type { FanOut } from './backward/gradient-sums';
import type { Training } from './backward/training';
import { compareBackward, compareLayers, kernelMismatches, skippedCheck, type Check } from './check';
import { yoloFigure, yoloShare, type YoloFigure } from './yolo-summary';
import { countEntries, countLayer, totalsOf, type Counts, type LayerCounts, type Totals } from './count';
import { numel } from './ops';
import type { BackendChoice, BackendInfo } from './measured/backend-choice';
import type { ClockChoice } from './measured/clocks';
import type { Measurement } from './measured/index';
import type { Latency, Timing } from './measured/timing';
import { pairedCost, processCost, type PairPlan } from './measured/paired';
import type { OnProgress } from './measured/progress';
import { loadFileModel } from '../model/file-support';
import { graphFanOuts } from '../model/graph/fan-outs';
import { livePeakBytes, madeBytes } from '../model/graph/schedule';
import type { SeBlock } from '../model/graph/se-blocks';
import { fileRequest, plainTwin, type FileSpec, type Spec } from '../model/spec';
import { formatBytes } from '../parse';
import { UsageError } from '../errors';
import { seOpsByBlock, seTimeShare, type SeLatency } from './se-time';

export interface Sizes {
  /** float32 bytes of the input batch. */
  inputBytes: bigint;
  /** float32 bytes of every op's output (the forward activations). */
  activationBytes: bigint;
  /** float32 bytes of params and buffers. */
  paramBytes: bigint;
}

/**
 * What `plain` is: the same model without SE, or with --add-se the model file as given (which
 * may have SE blocks of its own), against which the added SE is measured.
 */
export type OverheadBaseline = 'without-se' | 'as-given';

/** What SE adds: the baseline (the same block without SE, or the file as given), and the difference. */
export interface Overhead {
  baseline: OverheadBaseline;
  plain: Spec;
  plainTotals: Totals;
  /** With SE (added) minus the baseline, per quantity. */
  added: Totals;
}

/** One SE block found in a model file, and what its ops count. */
export interface SeShare {
  block: SeBlock;
  totals: Totals;
}

/** What profiling a model file found beyond the op list. */
export interface FileFindings {
  /** Ops counted as zero because seprof has no kind for them. */
  unsupported: Unsupported[];
  /** View and folded shape-arithmetic nodes. */
  free: number;
  notes: string[];
  seBlocks: SeShare[];
  /** A YOLO export (its metadata names a stride): the GFLOPs of YOLO's model summary, and what it counts for SE. */
  yolo?: YoloSummary;
}

export interface YoloSummary {
  stride: number;
  figure: YoloFigure;
  /** The plain twin's: without its SE blocks, or as given when SE was added (--add-se). */
  plain?: YoloFigure & { baseline: 'as-given' | 'without-se' };
  /** Per SE block: FLOPs the summary counts for it, and 2 x its thop MACs at the image, per image. */
  seBlocks: { where: string; summary: number; atImage: number }[];
}

export interface Profile {
  spec: Spec;
  /** Present for model files. */
  file?: FileFindings;
  layers: LayerCounts[];
  totals: Totals;
  sizes: Sizes;
  check: Check;
  /** Present for blocks that have a plain twin. */
  overhead?: Overhead;
  /** With --training: backward and forward + backward counts. */
  training?: Training;
  /** Present when the model ran in tfjs. */
  measured?: {
    backend: BackendInfo;
    /** Only when timing was asked for. */
    latency?: Latency;
    /** Median ms per layer, with `timing.perLayer`. */
    layerMs?: Record<string, number>;
  };
  /** With `seLatency`: the model timed against its SE-free twin, or why it was not. */
  seLatency?: SeLatency | { skipped: string };
}

/** How to time the model against its SE-free twin (`--se-latency`): PairPlan is each process's rounds. */
export interface SeLatencyPlan extends PairPlan {
  /** Child processes, one after another, each building, warming and timing both models. */
  processes: number;
  /** Layer-by-layer passes in each process, for SE's share of the time. */
  passes: number;
  /** What a run's time is (`--se-clock`): CPU time, wall, or auto (CPU time unless the backend spreads a kernel over threads). */
  clock: ClockChoice;
  /** A model without a twin is refused (one profile); else its SE latency says it was skipped (a sweep's SE-only cases). */
  requireTwin: boolean;
}

export interface ProfileOptions {
  measure: boolean;
  backend: BackendChoice;
  /** Time the measured model (`--latency`, `--runs`, `--warmup`); absent, nothing is timed. */
  timing?: Timing | undefined;
  training?: boolean | undefined;
  /** Told as the measured run advances (layers, timed runs). */
  onProgress?: OnProgress | undefined;
  /** Skip the measured run when it would need more bytes than this. */
  maxMemoryBytes?: bigint | undefined;
  /** Time the model against its SE-free twin (`--se-latency`); absent, nothing of it is timed. */
  seLatency?: SeLatencyPlan | undefined;
}

/** What a model file's schedule (model/graph/schedule) says of a pass over it. */
export interface FilePass {
  /** The live peak of a forward that frees as it goes, with the inputs and each step's intermediates (`livePeakBytes`). */
  liveBytes: bigint;
  /** Every tensor a forward makes, none freed (`madeBytes`). */
  madeBytes: bigint;
  /**
   * Every initializer as tfjs holds it (4 bytes a value), counted or not: a weight of an op
   * counted as 0, or one no op reads, is uploaded all the same. Undefined: as the params say.
   */
  weightBytes?: bigint | undefined;
}

/**
 * A training step on a model file holds, at the end of tfjs's backward pass, each tensor its
 * forward made up to this many times: the copy the tape saves (wasm clones), its gradient, and
 * the gradient formulas' own tensors (relu6's mask, erf's exp(-x^2)), kept until the pass ends.
 */
const TAPE_HOLDS = 4n;

/**
 * A network's measured training run ends in one backward pass over the whole model (the
 * gradient sums), whose tape holds each activation and each weight up to this many times:
 * itself, the tape's copy (wasm clones), its gradient, the gradient summed over its readers,
 * and what the gradient formulas keep (batchnorm's centred and normalised input, activations'
 * masks, wasm's packed weights). Measured, the tensor peak is 0.65 to 0.94 of the estimate
 * (docs/measurement.md).
 */
const NETWORK_TAPE_HOLDS = 5n;

/**
 * Bytes a measured run holds at its peak. A forward frees each activation after its last
 * reader, which leaves at most three of the largest alive (a residual block's input, branch
 * and sum; an inception block's branches and their concatenation), and never more than all
 * of them; one more of the largest is a kernel's scratch (wasm's Mean transposes its input).
 * Timed, the weights are distinct and the backend keeps a packed copy of each. A backward pass
 * holds its tape (NETWORK_TAPE_HOLDS). A model
 * file's forward frees as a network's does, but its graph may keep any number alive (a
 * detector's skips and heads): its live peak with the inputs and each step's intermediates is
 * read from the schedule the executor frees by; its weights are its own, each packed once more.
 * Its training step holds what its forward made (TAPE_HOLDS), and the weights and inputs three
 * times: themselves, the tape's copies and their gradients.
 */
export function measuredRunBytes(
  sizes: Sizes,
  largestActivationBytes: bigint,
  { training = false, timed = false, file }: { training?: boolean; timed?: boolean; file?: FilePass | undefined } = {},
): bigint {
  const largest = largestActivationBytes;
  const weights = file?.weightBytes !== undefined && file.weightBytes > sizes.paramBytes ? file.weightBytes : sizes.paramBytes;
  if (training && file !== undefined) return 3n * (sizes.inputBytes + weights) + TAPE_HOLDS * file.madeBytes;
  if (training) return sizes.inputBytes + NETWORK_TAPE_HOLDS * (sizes.activationBytes + sizes.paramBytes) + largest;
  if (file !== undefined) return 2n * weights + file.liveBytes;
  const live = sizes.activationBytes < 3n * largest ? sizes.activationBytes : 3n * largest;
  return sizes.inputBytes + (timed ? 2n : 1n) * sizes.paramBytes + live + largest;
}

function largestActivationBytes(layers: readonly LayerCounts[]): bigint {
  return layers.reduce((most, l) => (numel(l.op.outputShape) > most ? numel(l.op.outputShape) : most), 0n) * FLOAT32_BYTES;
}

const FLOAT32_BYTES = 4n;

function sizesOf(spec: Spec, layers: readonly LayerCounts[], totals: Totals): Sizes {
  return {
    inputBytes: numel(inputShape(spec)) * FLOAT32_BYTES,
    activationBytes: layers.reduce((sum, l) => sum + numel(l.op.outputShape), 0n) * FLOAT32_BYTES,
    paramBytes: (totals.params + totals.buffers) * FLOAT32_BYTES,
  };
}

function difference(a: Totals, b: Totals): Totals {
  const counts: Counts = Object.fromEntries(countEntries(a.counts).map(([key, n]) => [key, n - (b.counts[key] ?? 0n)]));
  return { params: a.params - b.params, buffers: a.buffers - b.buffers, counts };
}

function overheadOf(spec: Spec, totals: Totals): Overhead | undefined {
  const plain = plainTwin(spec);
  if (plain === undefined) return undefined;
  const plainTotals = totalsOf(analyticOps(plain).map(countLayer));
  const baseline = spec.block === 'file' && spec.addSe.length > 0 ? 'as-given' : 'without-se';
  return { baseline, plain, plainTotals, added: difference(totals, plainTotals) };
}

function findingsOf(spec: FileSpec, layers: readonly LayerCounts[]): FileFindings {
  const { unsupported, free, notes, nodesOf } = fileOps(spec);
  const blocks = loadFileModel(fileRequest(spec)).seBlocks;
  // Each layer to the blocks its nodes are in, in one pass: a search per block was quadratic (2,000 blocks: seconds).
  const blocksOfNode = new Map<string, number[]>();
  blocks.forEach((block, i) => {
    for (const node of block.nodes) blocksOfNode.set(node, [...(blocksOfNode.get(node) ?? []), i]);
  });
  const inBlock: LayerCounts[][] = blocks.map(() => []);
  for (const layer of layers) {
    const hit = new Set((nodesOf.get(layer.op.name) ?? []).flatMap((node) => blocksOfNode.get(node) ?? []));
    for (const i of hit) inBlock[i]?.push(layer);
  }
  const seBlocks = blocks.map((block, i) => ({ block, totals: totalsOf(inBlock[i] ?? []) }));
  const stride = loadFileModel(fileRequest(spec)).inferred.graph.stride;
  return { unsupported, free, notes, seBlocks, ...(stride !== undefined && { yolo: yoloSummary(spec, layers, seBlocks, inBlock, stride) }) };
}

function yoloSummary(
  spec: FileSpec,
  layers: readonly LayerCounts[],
  seBlocks: readonly SeShare[],
  inBlock: readonly LayerCounts[][],
  stride: number,
): YoloSummary {
  const { height, width } = spec.input;
  const plain = seBlocks.length === 0 ? undefined : plainTwin(spec);
  const baseline = spec.addSe.length > 0 ? 'as-given' : 'without-se';
  return {
    stride,
    figure: yoloFigure(layers, height, width, stride),
    ...(plain !== undefined && { plain: { ...yoloFigure(analyticOps(plain).map(countLayer), height, width, stride), baseline } }),
    seBlocks: seBlocks.map((b, i) => ({ where: b.block.where, ...yoloShare(inBlock[i] ?? [], height, width, stride) })),
  };
}

/** `about 12.8 MB, above the memory budget of 4 MB`; in bytes when the rounded sizes would read alike. */
function memoryVersusBudget(needed: bigint, budget: bigint): string {
  const [rough, roughBudget] = [formatBytes(needed), formatBytes(budget)];
  if (rough === roughBudget) return `${needed} bytes, above the memory budget of ${budget} bytes`;
  return `about ${rough}, above the memory budget of ${roughBudget}`;
}

function filePass(spec: FileSpec): FilePass {
  const { inferred } = loadFileModel(fileRequest(spec));
  const weightBytes = [...inferred.graph.initializers.values()].reduce((sum, w) => sum + w.dims.reduce((n, d) => n * BigInt(d), FLOAT32_BYTES), 0n);
  return { liveBytes: livePeakBytes(inferred), madeBytes: madeBytes(inferred), weightBytes };
}

/**
 * What the process holds beside tfjs's tensors while a model file is measured: the runtime
 * (Node and tfjs's wasm module: 86 MB at the peak of a small model's run here, with room for
 * a large graph's objects) and each weight once on the host, in the file's bytes read whole
 * or as read from its external data file. Without them a model of 784 MB of weights was
 * estimated 1.4 GB and peaked at 2.4 GB; now it reads 2.5 GB (200 MB: 798 MB, peak 677 MB).
 */
const RUNTIME_BYTES = 192n * 2n ** 20n;

/** A model file's gradient sums follow its graph: a view that computes reads its input as an op does. */
function fileFanOuts(spec: FileSpec): FanOut[] {
  return graphFanOuts(loadFileModel(fileRequest(spec)).inferred);
}

/**
 * Progress over the layers in the Check line's unit, the analytic layers: a pass steps through
 * tfjs layers or graph modules, and some compute nothing counted (a view) or several ops (a
 * fused conv and its activation). Its steps are scaled to the analytic count, which it ends on.
 */
function inAnalyticLayers(onProgress: OnProgress | undefined, layers: number): OnProgress | undefined {
  if (onProgress === undefined) return undefined;
  return (done, total, phase) =>
    phase === 'layers measured' || phase === 'layer gradients'
      ? onProgress(total > 0 ? Math.floor((done * layers) / total) : layers, layers, phase)
      : onProgress(done, total, phase);
}

export async function profile(spec: Spec, options: ProfileOptions): Promise<Profile> {
  const layers = analyticOps(spec).map(countLayer);
  const totals = totalsOf(layers);
  const overhead = overheadOf(spec, totals);
  if (options.seLatency?.requireTwin === true && overhead === undefined) {
    throw new UsageError(`--se-latency times a model against its SE-free twin, and ${describeTwinless(spec)} has none`);
  }
  // The backward pass's modules load only with --training.
  const training = options.training === true ? await import('./backward/training.js') : undefined;
  const backward = training?.analyticBackward(layers, spec.block === 'file' ? fileFanOuts(spec) : undefined);
  const base = {
    spec,
    ...(spec.block === 'file' && { file: findingsOf(spec, layers) }),
    layers,
    totals,
    sizes: sizesOf(spec, layers, totals),
    ...(overhead && { overhead }),
    ...(training && backward && { training: training.trainingOf(totals, backward) }),
  };
  if (!options.measure) return { ...base, check: skippedCheck('--no-measure', layers.length) };
  const filePassed = spec.block === 'file' ? filePass(spec) : undefined;
  const needed = measuredRunBytes(base.sizes, largestActivationBytes(layers), {
    training: options.training === true,
    timed: options.timing !== undefined,
    file: filePassed,
  });
  // --max-memory bounds the process; the backend's own limit (assertFits) sees tfjs's tensors alone.
  const processBytes = needed + (filePassed === undefined ? 0n : RUNTIME_BYTES + (filePassed.weightBytes ?? 0n));
  if (options.maxMemoryBytes !== undefined && processBytes > options.maxMemoryBytes) {
    return { ...base, check: skippedCheck(`it needs ${memoryVersusBudget(processBytes, options.maxMemoryBytes)} (--max-memory)`, layers.length) };
  }

  // tfjs costs a quarter of a second to import: only the measured path pays it.
  const { measure, MeasurementSkipped } = await import('./measured/index.js');
  options = { ...options, onProgress: inAnalyticLayers(options.onProgress, layers.length) };
  let measurement: Measurement;
  try {
    if (spec.block === 'file') {
      const { measureFile } = await import('./measured/file.js');
      const result = await measureFile(spec, { ...options, peakBytes: needed });
      if ('skipped' in result) return { ...base, check: skippedCheck(result.skipped, layers.length) };
      measurement = result;
    } else {
      measurement = await measure(spec, { ...options, peakBytes: needed });
    }
  } catch (error) {
    if (error instanceof MeasurementSkipped) return { ...base, check: skippedCheck(error.message, layers.length) };
    throw error;
  }
  const check = compareLayers(layers, measurement.ops.map(countLayer));
  check.mismatches.push(...kernelMismatches(measurement.unrecognised));
  if (backward !== undefined) {
    if (measurement.backward === undefined) throw new Error('the backward pass was not measured');
    check.mismatches.push(...compareBackward(backward.rows, measurement.backward.rows));
    check.mismatches.push(...kernelMismatches(measurement.backward.unrecognised));
  }
  if (check.mismatches.length > 0) check.status = 'mismatch';
  const { backend, latency, layerMs } = measurement;
  const seLatency =
    options.seLatency === undefined
      ? undefined
      : overhead === undefined
        ? { skipped: 'no SE-free twin' }
        : await timeAgainstTwin(spec, overhead.plain, base.layers, options, options.seLatency, needed);
  return { ...base, check, measured: { backend, ...(latency && { latency }), ...(layerMs && { layerMs }) }, ...(seLatency && { seLatency }) };
}

function describeTwinless(spec: Spec): string {
  if (spec.block === 'file') return `${spec.file} (no SE blocks found; --add-se makes a variant)`;
  if (spec.block === 'network') return `--model ${spec.model}`;
  return spec.block === 'se' ? '--block se (SE alone; --latency times it)' : `--block ${spec.block}`;
}

/** The model timed against its twin in interleaved rounds, and SE's share of its layer-by-layer time. */
async function timeAgainstTwin(
  spec: Spec,
  twin: Spec,
  layers: readonly LayerCounts[],
  options: ProfileOptions,
  plan: SeLatencyPlan,
  needed: bigint,
): Promise<SeLatency | { skipped: string }> {
  // Both models live at once: about twice one's peak.
  const pairBytes = 2n * needed;
  if (options.maxMemoryBytes !== undefined && pairBytes > options.maxMemoryBytes)
    return { skipped: `the model and its twin together need ${memoryVersusBudget(pairBytes, options.maxMemoryBytes)} (--max-memory)` };
  const { measureSePair } = await import('./measured/se-processes.js');
  const { MeasurementSkipped } = await import('./measured/index.js');
  try {
    const training = options.training === true;
    const processes = await measureSePair(spec, twin, {
      backend: options.backend,
      processes: plan.processes,
      plan,
      passes: plan.passes,
      training,
      onProgress: options.onProgress,
      peakBytes: pairBytes,
      clock: plan.clock,
    });
    const blocks = seOpsByBlock(
      layers.map((l) => l.op.name),
      new Set(analyticOps(twin).map((l) => l.name)),
    );
    return {
      ...pairedCost(processes.map((p) => p.samples)),
      backend: processes[0]?.backend.name ?? String(options.backend),
      clock: processes[0]?.clock ?? 'wall',
      pass: training ? 'training' : 'forward',
      layers: seTimeShare(
        layers,
        blocks,
        processes.map((p) => p.passes),
      ),
      processes: processes.map((p) => processCost(p.samples)),
    };
  } catch (error) {
    if (error instanceof MeasurementSkipped) return { skipped: error.message };
    throw error;
  }
}
