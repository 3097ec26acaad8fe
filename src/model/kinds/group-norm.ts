// nn.GroupNorm: ONNX GroupNormalization (opset 18 on), or the exporter's pattern before it (a
// Reshape to N x G x L, InstanceNormalization, a Reshape back, the Mul of its weight and the Add
// of its bias: one module, model/graph/fusions). The peers count the module (aten::group_norm,
// nn.GroupNorm's hook), not the instance norm inside. Its weight and bias (initializers) are
// params. tfjs has no kernel: layernorm's formula over each (sample, group), on a view that
// groups the channels, then the weight and the bias per channel.
import { groupNormParts, type NodeInput } from '../graph/fusions';
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { count } from '../graph/tensor-info';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition, RunContext, Tensor } from './kind';
import { layerNormFormula } from './layernorm';

const SEQUENCE = /^Mean Sub Square Mean Add Sqrt RealDiv( Multiply)?( Add)?$/;

/** The params of a learned scale or shift (an initializer), 0 for a constant one. */
function learned(index: GraphIndex, t: NodeInput | undefined): bigint {
  const weight = t === undefined ? undefined : index.weight(t.node.inputs[t.at] ?? '');
  return weight === undefined ? 0n : count(index.shape(weight));
}

/** Whether GroupNormalization's scale and bias are per group (opsets 18 to 20), not per channel (21 on, and the export's Mul and Add). */
function perGroup(index: GraphIndex, m: NodeGroup): boolean {
  const { input, groups, scale, shift } = groupNormParts(index, m);
  const t = scale ?? shift;
  const channels = index.shape(input)[1];
  return m.fused !== 'group-norm' && t !== undefined && groups !== channels && count(index.shape(t.node.inputs[t.at] ?? '')) === BigInt(groups);
}

/**
 * A scale or shift as it broadcasts: a Mul's or Add's operand is aligned to the stored output
 * already; GroupNormalization's [C] goes last on a stored map, else on axis 1; a per-group one
 * ([G], opsets 18 to 20) on the grouped view's G axis ([N, H * W, G, C / G] or [N, G, L]).
 */
function laidOut(ctx: RunContext, m: NodeGroup, t: NodeInput, rank: number, groups: boolean): Tensor {
  if (m.fused === 'group-norm') return ctx.constant(t.node, t.at);
  const raw = ctx.input(t.node, t.at);
  // The axes after G in the grouped view: C / G alone from a stored map, C / G and the rest otherwise.
  const after = groups ? (rank === 4 ? 1 : rank - 1) : rank === 4 ? 0 : rank - 2;
  return after === 0 ? raw : ctx.tf.reshape(raw, [raw.size, ...new Array<number>(after).fill(1)]);
}

/**
 * x with its channels grouped, and the axes normalised: a stored map [N, H, W, C] as
 * [N, H, W, G, C / G] over axes 1, 2 and 4 (no transposes), else [N, C, ...] as [N, G, C / G, ...]
 * over every axis after G. No axis is merged, so the kernels still show x's shape.
 */
export function groupedView(x: readonly number[], groups: number): { shape: number[]; axes: number[] } {
  const [n = 1, ...rest] = x;
  if (x.length === 4) {
    const [h = 1, w = 1, c = 1] = rest;
    return { shape: [n, h, w, groups, c / groups], axes: [1, 2, 4] };
  }
  const [c = 1, ...spatial] = rest;
  return { shape: [n, groups, c / groups, ...spatial], axes: [...x.keys()].map((a) => a + 1).slice(1) };
}

/** x's stored shape from the grouped view the first Mean reads. */
function ungrouped(grouped: readonly number[]): { x: number[]; groups: number } {
  const [n = 1, a = 1, b = 1, c = 1, d = 1, ...rest] = grouped;
  return grouped.length === 5 ? { x: [n, a, b, c * d], groups: c } : { x: [n, a * b, ...[c, d, ...rest].slice(0, grouped.length - 3)], groups: a };
}

export const groupNorm: OpKindDefinition<'group_norm'> = {
  onnx: { opTypes: ['GroupNormalization'], fusions: ['group-norm'] },
  plan: (index, m) => {
    const { input, groups, scale, shift } = groupNormParts(index, m);
    const x = index.shape(input);
    if (x.length < 3 || groups < 1 || (x[1] ?? 0) % groups !== 0) return undefined;
    const attrs = { groups, affine: scale !== undefined, bias: shift !== undefined, ...(perGroup(index, m) && { perGroup: true }) };
    return { inputs: [input], attrs, params: learned(index, scale) + learned(index, shift) };
  },
  runnable: () => true,
  run: (ctx, m) => {
    const { tf } = ctx;
    const { groups, epsilon, scale, shift } = groupNormParts(ctx.index, m);
    const x = ctx.input(m.nodes[0] ?? m.main, 0);
    const byGroup = perGroup(ctx.index, m);
    const view = groupedView(x.shape, groups);
    const normalised = layerNormFormula(tf, tf.reshape(x, view.shape), view.axes, epsilon, {});
    // Per-group weights apply on the grouped view, per-channel ones on x's shape.
    const affine = (y: Tensor): Tensor => {
      const scaled = scale === undefined ? y : tf.mul(y, laidOut(ctx, m, scale, x.rank, byGroup));
      return shift === undefined ? scaled : tf.add(scaled, laidOut(ctx, m, shift, x.rank, byGroup));
    };
    return byGroup ? tf.reshape(affine(normalised), x.shape) : affine(tf.reshape(normalised, x.shape));
  },
  facts: (index, m) => {
    const { scale, shift } = groupNormParts(index, m);
    return { groupNorm: { affine: scale !== undefined, bias: shift !== undefined, ...(perGroup(index, m) && { perGroup: true }) } };
  },
  kernels: {
    composite: (kernels, names, layer) => {
      const mean = kernels[0];
      if (layer.groupNorm === undefined || !SEQUENCE.test(names) || mean === undefined) return undefined;
      // The grouped view the first Mean reads gives x's shape and the groups.
      const { x, groups } = ungrouped(shapeAt(mean.inputShapes, 0, mean.name));
      return draft('group_norm', [x], x, { groups, ...layer.groupNorm });
    },
  },
  kernelCount: (index, m) => {
    const { scale, shift } = groupNormParts(index, m);
    return 7 + (scale === undefined ? 0 : 1) + (shift === undefined ? 0 : 1);
  },
  colour: '#5b8db8',
};
