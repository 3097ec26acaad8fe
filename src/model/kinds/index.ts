// The op kinds, one module each, and the one list of them: the registry the analytic plan, the
// graph executor, the kernel reader, the measured run's facts, the memory schedule, the charts
// and the conventions' tables (Record<OpKind, ...>) read. A kind is its line here; its name is
// its key, which its module's type must spell (OpKindDefinition<'name'>). names.ts lists the keys.
import { add } from './add';
import { avgPool } from './avg-pool';
import { batchnorm } from './batchnorm';
import { clip } from './clip';
import { concat } from './concat';
import { conv2d } from './conv2d';
import { convTranspose } from './conv-transpose';
import { div } from './div';
import { erf } from './erf';
import { einsum } from './einsum';
import { exp } from './exp';
import { gelu } from './gelu';
import { globalAvgPool } from './global-avg-pool';
import { groupNorm } from './group-norm';
import { hardsigmoid } from './hardsigmoid';
import { hardswish } from './hardswish';
import type { OpKindDefinition } from './kind';
import { instanceNorm } from './instance-norm';
import { layernorm } from './layernorm';
import { leakyRelu } from './leaky-relu';
import { prelu } from './prelu';
import { linear } from './linear';
import { matmul } from './matmul';
import { maxPool } from './max-pool';
import { mish } from './mish';
import { mul } from './mul';
import { pad } from './pad';
import { pow } from './pow';
import { reduceMax, reduceMin, reduceSum } from './reduce';
import { reduceL2 } from './reduce-l2';
import { reduceMean } from './reduce-mean';
import { relu } from './relu';
import { relu6 } from './relu6';
import { resize } from './resize';
import { scale } from './scale';
import { sigmoid } from './sigmoid';
import { silu } from './silu';
import { softmax } from './softmax';
import { softplus } from './softplus';
import { sub } from './sub';
import { tanh } from './tanh';

const DEFINITIONS = {
  conv2d,
  batchnorm,
  relu,
  sigmoid,
  relu6,
  silu,
  hardswish,
  hardsigmoid,
  global_avg_pool: globalAvgPool,
  avg_pool: avgPool,
  max_pool: maxPool,
  linear,
  scale,
  add,
  concat,
  reduce_mean: reduceMean,
  resize,
  leaky_relu: leakyRelu,
  conv_transpose: convTranspose,
  mul,
  sub,
  div,
  pow,
  tanh,
  softmax,
  pad,
  gelu,
  erf,
  exp,
  layernorm,
  matmul,
  einsum,
  reduce_sum: reduceSum,
  reduce_max: reduceMax,
  reduce_min: reduceMin,
  softplus,
  mish,
  instance_norm: instanceNorm,
  prelu,
  group_norm: groupNorm,
  clip,
  reduce_l2: reduceL2,
};

type Kind = keyof typeof DEFINITIONS;

/** The registry: each kind's definition under its name (`OpKind`, names.ts). */
export const KINDS: { readonly [K in Kind]: OpKindDefinition<K> } = DEFINITIONS;

export const KIND_ENTRIES = Object.entries(KINDS) as [Kind, OpKindDefinition<Kind>][];
