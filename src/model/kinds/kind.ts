// What one op kind is, in one place: how a model file's graph shows it, what the executor runs
// for it, what the measured run must be told about it, how its kernels read back, how many it
// makes, and how charts draw it. Only the counting rules live elsewhere, one table per
// convention (analyzers/conventions), typed Record<OpKind, Rule | Skip>.
//
// tfjs is injected (`tf`), never imported: the model layer counts without loading tfjs, and the
// executor hands its tfjs in when it runs a module. A definition is typed by its kind's name (`K`),
// which the registry (index.ts) keys it by: the list of kinds is the registry's keys.
import type * as tfc from '@tensorflow/tfjs-core';
import type { OpAttrs } from '../../analyzers/op-fields';
import type { Fusion } from '../graph/fusions';
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import type { GraphNode } from '../graph/types';
import type { Composite, Draft, KernelRecord, LayerFacts } from './kernel-reading';

export type Tf = typeof tfc;
export type Tensor = tfc.Tensor;

/** A module planned as an op of kind `K`: what the analytic op is made of. */
export interface Planned<K extends string = string> {
  kind: K;
  /** The activation tensors the op reads, in the op's order. */
  inputs: readonly string[];
  /** Their shapes as the op broadcasts them, where not the tensors' own (an operand of lower rank aligned to a map's). */
  shapes?: readonly (readonly number[])[];
  attrs?: OpAttrs;
  params?: bigint;
  buffers?: bigint;
}

/** What a kind's run reads: stored tensors (NHWC when rank 4), made by the executor before anything is profiled. */
export interface RunContext {
  tf: Tf;
  index: GraphIndex;
  /** A node's input: an activation, a weight laid out for its reader, or a folded constant. */
  input(node: GraphNode, position: number): Tensor;
  /** An elementwise node's constant operand, aligned to the output's rank and stored. */
  constant(node: GraphNode, position: number): Tensor;
  /** A grouped conv's filter, split by group. */
  groupFilters(node: GraphNode): Tensor[];
}

export interface KernelReading<K extends string> {
  /** tfjs kernels that are, alone, one op of this kind (read as one input kept in shape unless `read` says otherwise). */
  names?: readonly string[];
  /** One kernel as an op of this kind, or undefined when the kernel is another kind's. */
  read?(kernel: KernelRecord, layer: LayerFacts): Draft<K> | undefined;
  /** All of one layer's kernels as one op of this kind (a formula of several kernels), or undefined. */
  composite?: Composite<K>;
}

export interface OpKindDefinition<K extends string> {
  /** Its ONNX spellings: the main node's op types, or the fusions (several nodes, one module) it is. */
  onnx: { opTypes?: readonly string[]; fusions?: readonly Fusion[] };
  /** The module as an op of this kind, or undefined when it is not one (another kind's, or none). */
  plan(index: GraphIndex, m: NodeGroup): Omit<Planned, 'kind'> | undefined;
  /** Whether the executor runs this module as PyTorch computes it (tfjs has a kernel for it). */
  runnable(index: GraphIndex, m: NodeGroup): boolean;
  /** The module's output on stored tensors: the tfjs formula the measured run executes. */
  run(ctx: RunContext, m: NodeGroup): Tensor;
  /**
   * A weight as its tfjs kernel takes it, from the initializer as ONNX lays it out (`raw`), when
   * not as it is: conv filters OIHW to HWIO, Gemm's transposed B.
   */
  weightLayout?(tf: Tf, reader: GraphNode, position: number, raw: Tensor): Tensor;
  /** What the kernels cannot show and the kernel reading needs: window sizes, a constant's position. */
  facts?(index: GraphIndex, m: NodeGroup): Partial<LayerFacts>;
  kernels: KernelReading<K>;
  /**
   * Why tfjs takes no gradient through the module, when it cannot (tfjs-core 4.22 has none for a
   * dilated conv): the backward pass is then not measured, and the run says why.
   */
  gradientGap?(index: GraphIndex, m: NodeGroup): string | undefined;
  /** Kernels `run` executes for the module, views aside: what a pass makes (the memory estimate). */
  kernelCount(index: GraphIndex, m: NodeGroup): number;
  /** Its colour in charts, fixed so a kind looks the same in every chart. */
  colour: string;
}
