// The measured path for a model file: execute its graph in tfjs module by module with the
// file's weights, under one tf.profile, and read each module's kernels back into ops.
import * as tf from '@tensorflow/tfjs-core';
import { loadFileModel } from '../../model/file-support';
import { GraphIndex } from '../../model/graph/graph-index';
import type { InferredGraph } from '../../model/graph/infer';
import type { NodeGroup } from '../../model/graph/node-groups';
import { KINDS } from '../../model/kinds';
import { VIEW_KERNELS, type LayerFacts } from '../../model/kinds/kernel-reading';
import { repeatedParams } from '../../model/kinds/plan';
import { fileRequest, type FileSpec } from '../../model/spec';
import { GraphExecutor, randomInputs } from '../../modules/graph-executor';
import { VALUE_KERNELS } from '../../modules/value-ops';
import type { Op } from '../ops';
import { useBackend } from './backend';
import type { BackendChoice } from './backend-choice';
import { withKernelFallback, type MeasureOptions, type Measurement } from './index';
import { gradientRunRefused, graphGradientKernels, moduleGradients } from './file-gradients';
import { readBackward, type MeasuredBackward } from './gradient-kernels';
import { timeRuns } from './latency';
import { assertFits, skipOnMemoryFault } from './memory';
import { oneAtATime } from './one-at-a-time';
import type { OnProgress } from './progress';
import { readPass, recordPass } from './record';

/**
 * Layout changes between NCHW views and NHWC kernels, an Expand's broadcast (Tile), and what the
 * value ops run (masks, indices, selections: no peer counts them): not arithmetic.
 */
const LAYOUT_KERNELS = new Set(['Transpose', 'SplitV', 'Tile', ...VIEW_KERNELS, ...VALUE_KERNELS]);

/** What the kernel reading needs of a module beyond its kernels: its weights, and what its kind says (windows, a constant's position). */
function factsOf(executor: GraphExecutor, index: GraphIndex, m: NodeGroup): LayerFacts {
  const { params, buffers } = executor.moduleWeights(m);
  const kind = executor.planOf(m)?.kind;
  const told = kind === undefined ? {} : (KINDS[kind].facts?.(index, m) ?? {});
  // The executor reads a weight per reading node; a weight an earlier module read is counted there, as the plan counts it.
  return { ...told, name: m.name, params: params - repeatedParams(index, m), buffers, reads: m.reads };
}

/** Each module's backward kernels read into counts, the whole graph's extra Adds as the gradient sums. */
async function measureBackward(
  executor: GraphExecutor,
  inputs: ReadonlyMap<string, tf.Tensor>,
  ops: readonly Op[],
  facts: ReadonlyMap<NodeGroup, LayerFacts>,
  onProgress: OnProgress | undefined,
): Promise<MeasuredBackward> {
  const withOps = new Set(ops.map((op) => op.name));
  const modules = (await moduleGradients(executor, inputs, onProgress)).map(({ module, kernels }) => ({
    facts: facts.get(module) as LayerFacts,
    hasOp: withOps.has(module.name),
    kernels,
  }));
  return readBackward(modules, await graphGradientKernels(executor, inputs));
}

/**
 * What kernels cannot show and the graph does: who made each op (a module or a function call)
 * and the model's batch where an op's dim 0 is not it, as the plan gives the analytic ops.
 */
function withCallAttrs(ops: readonly Op[], executor: GraphExecutor): Op[] {
  const planned = new Map(executor.modules.map((m) => [m.name, executor.planOf(m)?.attrs ?? {}]));
  return ops.map((op) => {
    const { origin, batch } = planned.get(op.name) ?? {};
    return { ...op, attrs: { ...op.attrs, ...(origin !== undefined && { origin }), ...(batch !== undefined && { batch }) } };
  });
}

export type FileMeasurement = Measurement | { skipped: string };

export function measureFile(spec: FileSpec, options: MeasureOptions): Promise<FileMeasurement> {
  return oneAtATime(() =>
    skipOnMemoryFault(async () => {
      const { inferred } = loadFileModel(fileRequest(spec));
      const weightless = [...inferred.graph.initializers.values()].find((i) => i.values === undefined && i.data === undefined);
      if (weightless !== undefined)
        return { skipped: `the file holds no weights for initializer '${weightless.name}' (--stand-in-weights measures with stand-in values)` };
      const executor = new GraphExecutor(inferred);
      const missing = executor.unsupported();
      if (missing.length > 0) return { skipped: `the tfjs graph executor does not run ${missing.join(', ')}` };
      const tooLarge = options.training === true ? gradientRunRefused(inferred, executor) : undefined;
      if (tooLarge !== undefined) return { skipped: tooLarge };
      return withKernelFallback(options.backend, (choice) => measureOn(executor, inferred, options, choice));
    }),
  );
}

/** One measured run on the chosen backend; the executor's weights are made on it and freed after. */
async function measureOn(executor: GraphExecutor, inferred: InferredGraph, options: MeasureOptions, choice: BackendChoice): Promise<Measurement> {
  const backend = await useBackend(choice);
  assertFits(backend.name, options.peakBytes);
  const inputs = randomInputs(inferred);
  try {
    // Weights are allocated (and transposed to NHWC kernels) before anything is profiled.
    const index = GraphIndex.of(inferred);
    const facts = new Map(executor.modules.map((m) => [m, factsOf(executor, index, m)]));
    const forward = (): number => {
      const start = performance.now();
      const outputs = executor.run(inputs);
      for (const out of outputs) out.dataSync();
      tf.dispose(outputs);
      return performance.now() - start;
    };
    // As for the networks: the profiled pass is the only forward unless something is timed (the
    // kernels it records do not depend on a warm-up; YOLOv9's gelan-c at 640 is 100 GFLOPs a pass).
    if (options.timing !== undefined) forward();
    const pass = await recordPass<NodeGroup>((around) => tf.dispose(executor.run(inputs, around)), {
      total: executor.modules.length,
      onProgress: options.onProgress,
    });
    const {
      ops: read,
      unrecognised,
      between,
    } = readPass(pass, {
      facts: (m) => facts.get(m) as LayerFacts,
      label: (m) => `${m.name} (${m.main.name})`,
      // A softmax over a middle axis moves it last and back, a class token is tiled to the batch: layout, as between modules.
      layout: (k) => k.name === 'Transpose' || k.name === 'Tile',
    });
    for (const k of between) if (!LAYOUT_KERNELS.has(k.name) && !k.name.endsWith('__op')) unrecognised.push(`outside any module: ${k.name}`);
    const ops = withCallAttrs(read, executor);
    const backward = options.training === true ? await measureBackward(executor, inputs, ops, facts, options.onProgress) : undefined;
    const latency = options.timing === undefined ? undefined : timeRuns(forward, options.timing, options.onProgress);
    return { backend, ops, unrecognised, ...(latency && { latency }), ...(backward && { backward }) };
  } finally {
    tf.dispose([...inputs.values()]);
    executor.dispose();
  }
}
