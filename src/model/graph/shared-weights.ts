// A weight read by several modules is one PyTorch parameter: a module called several times (one
// conv applied to each branch, Cadene's PolyNet; `self.shared(x) + self.shared(y)`) exports one
// initializer that every call's node reads. `sum(p.numel())` counts it once, so seprof counts it
// in the first module that reads it and not again. Equal tensors the exporter merged (squeezenet's
// zero biases) are separate parameters: each reader then reads its own name, an Identity's output.
// When the exporter folds each call's weights on its own (BN folded into a conv in eval mode),
// the calls read copies; its scope names still number a module's calls (`/p/conv/Conv`,
// `/p/conv_1/Conv`, `/p/conv_2/Conv`), and a numbered call whose weights have the first call's
// shapes is that module again.
import type { GraphIndex } from './graph-index';
import type { NodeGroup } from './node-groups';
import { count } from './tensor-info';
import { type GraphNode, own } from './types';

/** The inputs of a node that are a module's weights, by position. */
const WEIGHT_POSITIONS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [1, 2],
  MatMul: [1],
  BatchNormalization: [1, 2],
  LayerNormalization: [1, 2],
};

/** The tensors a module reads as its weights, by the name its nodes read. */
function weightReads(m: NodeGroup, isWeight: (t: string) => boolean): string[] {
  const of = (node: GraphNode): string[] => {
    const positions = own(WEIGHT_POSITIONS, node.opType) ?? (m.fused === 'linear-bias' && node.opType === 'Add' ? [0, 1] : []);
    return positions.map((i) => node.inputs[i] ?? '').filter((t) => t !== '' && isWeight(t));
  };
  return [...new Set(m.nodes.flatMap(of))];
}

/** The initializers a module reads as its weights, by the name its nodes read (an Identity's output is another parameter). */
const weightInputs = (index: GraphIndex, m: NodeGroup): string[] => weightReads(m, (t) => index.g.graph.initializers.has(t));

/** Its weights, initializers or an Identity of one (the exporter's alias of an equal tensor). */
const allWeights = (index: GraphIndex, m: NodeGroup): string[] => weightReads(m, (t) => index.weight(t) !== undefined);

export interface SharedWeight {
  tensor: string;
  /** The module that reads it first, where it is counted. */
  owner: string;
  numel: bigint;
}

/** A scoped node's module scope, `/p/conv_1` of `/p/conv_1/Conv`; undefined for a name without scopes (Keras' conv2d_1 is a layer of its own). */
function scopeOf(node: GraphNode): string | undefined {
  return node.name.startsWith('/') ? node.name.slice(0, node.name.lastIndexOf('/')) : undefined;
}

/** The first call of the module a numbered call (`/p/conv_2`) calls again, when the graph has it with weights of the same shapes. */
function firstCall(index: GraphIndex, groups: readonly NodeGroup[], m: NodeGroup): NodeGroup | undefined {
  const match = /^(.*\/[^/]+)_\d+$/.exec(scopeOf(m.main) ?? '');
  if (match === null) return undefined;
  const first = groups.find((g) => g !== m && g.main.opType === m.main.opType && scopeOf(g.main) === match[1]);
  if (first === undefined) return undefined;
  const shapes = (g: NodeGroup): string =>
    allWeights(index, g)
      .map((t) => index.shape(t).join('x'))
      .join(',');
  return allWeights(index, m).length > 0 && shapes(first) === shapes(m) ? first : undefined;
}

const owners = new WeakMap<readonly NodeGroup[], Map<string, string>>();

/** The weights a module reads that an earlier module read first: not its params again. */
export function sharedWeights(index: GraphIndex, groups: readonly NodeGroup[], m: NodeGroup): SharedWeight[] {
  let first = owners.get(groups);
  if (first === undefined) {
    first = new Map();
    for (const g of groups) for (const t of weightInputs(index, g)) if (!first.has(t)) first.set(t, g.name);
    owners.set(groups, first);
  }
  const map = first;
  const again = firstCall(index, groups, m);
  const repeated = (tensor: string): SharedWeight => ({ tensor, owner: again?.name ?? (map.get(tensor) as string), numel: count(index.shape(tensor)) });
  if (again !== undefined) return allWeights(index, m).map(repeated);
  return weightInputs(index, m)
    .filter((t) => map.get(t) !== m.name)
    .map(repeated);
}
