// A weight read by several modules is one PyTorch parameter: a module called several times (one
// conv applied to each branch, Cadene's PolyNet; `self.shared(x) + self.shared(y)`) exports one
// initializer that every call's node reads. `sum(p.numel())` counts it once, so seprof counts it
// in the first module that reads it and not again. Equal tensors the exporter merged (squeezenet's
// zero biases) are separate parameters: each reader then reads its own name, an Identity's output.
import type { GraphIndex } from './graph-index';
import type { NodeGroup } from './node-groups';
import { count } from './tensor-info';
import type { GraphNode } from './types';

/** The inputs of a node that are a module's weights, by position. */
const WEIGHT_POSITIONS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [1, 2],
  MatMul: [1],
  BatchNormalization: [1, 2],
  LayerNormalization: [1, 2],
};

/** The initializers a module reads as its weights, by the name its nodes read (an Identity's output is another parameter). */
function weightInputs(index: GraphIndex, m: NodeGroup): string[] {
  const direct = (t: string | undefined): t is string => t !== undefined && t !== '' && index.g.graph.initializers.has(t);
  const of = (node: GraphNode): string[] => {
    const positions = WEIGHT_POSITIONS[node.opType] ?? (m.fused === 'linear-bias' && node.opType === 'Add' ? [0, 1] : []);
    return positions.map((i) => node.inputs[i]).filter(direct);
  };
  return [...new Set(m.nodes.flatMap(of))];
}

export interface SharedWeight {
  tensor: string;
  /** The module that reads it first, where it is counted. */
  owner: string;
  numel: bigint;
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
  return weightInputs(index, m)
    .filter((t) => map.get(t) !== m.name)
    .map((tensor) => ({ tensor, owner: map.get(tensor) as string, numel: count(index.shape(tensor)) }));
}
