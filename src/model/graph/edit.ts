// What-if edits of a graph: SE inserted after named nodes, or every SE block found removed.
import { UsageError } from '../../errors';
import type { InferredGraph } from './infer';
import { nodeGroups } from './node-groups';
import type { SeBlock } from './se-blocks';
import { DTYPE, type Attr, type Graph, type GraphNode, type Initializer } from './types';

export interface SeOptions {
  reduction: number;
  bias: boolean;
}

/** Readers of `from` and the graph outputs read `to` instead. */
function rewire(nodes: readonly GraphNode[], outputs: readonly string[], from: string, to: string) {
  return {
    nodes: nodes.map((n) => (!n.inputs.includes(from) ? n : { ...n, inputs: n.inputs.map((t) => (t === from ? to : t)) })),
    outputs: outputs.map((t) => (t === from ? to : t)),
  };
}

/** The model without its SE blocks: each block's multiply output is replaced by its input. */
export function withoutSe(graph: Graph, blocks: readonly SeBlock[]): Graph {
  let { nodes, outputs } = { nodes: [...graph.nodes], outputs: [...graph.outputs] };
  for (const se of blocks) {
    const mul = nodes.find((n) => n.name === se.nodes[0]) as GraphNode;
    const dropped = new Set(se.nodes);
    const kept = nodes.filter((n) => !dropped.has(n.name));
    // x is the multiply's input that no node of the block computes.
    const x = mul.inputs.find((t) => !nodes.some((n) => dropped.has(n.name) && n.outputs.includes(t))) as string;
    ({ nodes, outputs } = rewire(kept, outputs, mul.outputs[0] as string, x));
  }
  return { ...graph, nodes, outputs };
}

const node = (name: string, opType: string, inputs: string[], output: string, attrs: [string, Attr][] = []): GraphNode =>
  ({ name, opType, domain: '', inputs, outputs: [output], attrs: new Map(attrs) });

/** PyTorch's SE after `target`: pool, Linear(C, C/r), ReLU, Linear(C/r, C), Sigmoid, x * s. */
function seNodes(path: string, x: string, channels: number, options: SeOptions): { nodes: GraphNode[]; weights: Initializer[]; output: string } {
  const hidden = Math.floor(channels / options.reduction);
  if (hidden < 1) throw new UsageError(`--add-se: --reduction ${options.reduction} is larger than the ${channels} channels after '${path}'`);
  const t = (name: string): string => `${path}_se/${name}:0`;
  const weight = (name: string, dims: number[]): Initializer => ({ name: t(name), dtype: DTYPE.float, dims, data: { kind: 'synthetic' } });
  const shape: Initializer = { name: t('shape'), dtype: DTYPE.int64, dims: [4], values: { kind: 'int', data: [0n, BigInt(channels), 1n, 1n] } };
  const weights = [weight('fc1.weight', [hidden, channels]), weight('fc2.weight', [channels, hidden]), shape];
  if (options.bias) weights.push(weight('fc1.bias', [hidden]), weight('fc2.bias', [channels]));
  const bias = (fc: string): string[] => (options.bias ? [t(`${fc}.bias`)] : []);
  const transB: [string, Attr] = ['transB', { kind: 'int', value: 1n }];
  // A sibling of the node it follows (`layer1.0.conv2_se`), so that no layer is renamed.
  const scope = `/${path}_se`;
  return {
    weights,
    output: t('mul'),
    nodes: [
      node(`${scope}/squeeze/GlobalAveragePool`, 'GlobalAveragePool', [x], t('squeeze')),
      node(`${scope}/Flatten`, 'Flatten', [t('squeeze')], t('flat')),
      node(`${scope}/fc1/Gemm`, 'Gemm', [t('flat'), t('fc1.weight'), ...bias('fc1')], t('fc1'), [transB]),
      node(`${scope}/relu/Relu`, 'Relu', [t('fc1')], t('relu')),
      node(`${scope}/fc2/Gemm`, 'Gemm', [t('relu'), t('fc2.weight'), ...bias('fc2')], t('fc2'), [transB]),
      node(`${scope}/sigmoid/Sigmoid`, 'Sigmoid', [t('fc2')], t('sigmoid')),
      node(`${scope}/Reshape`, 'Reshape', [t('sigmoid'), t('shape')], t('gate')),
      node(`${scope}/Mul`, 'Mul', [x, t('gate')], t('mul')),
    ],
  };
}

/** SE inserted after each named layer (as in the table), module path (a container: after its last layer) or node (by its name in the file). */
export function withSeAfter(g: InferredGraph, targets: readonly string[], options: SeOptions): Graph {
  const modules = nodeGroups(g);
  let nodes = [...g.graph.nodes];
  let outputs = [...g.graph.outputs];
  const initializers = new Map(g.graph.initializers);
  for (const target of targets) {
    // A module path that holds several layers (a container: `features.2.block.0`, conv and activation) means its last layer's output.
    const m = modules.find((x) => x.name === target) ?? modules.find((x) => x.nodes.some((n) => n.name === target)) ?? modules.findLast((x) => x.name.startsWith(`${target}.`));
    const node = g.order.find((n) => n.name === target);
    if (m === undefined && node === undefined) {
      throw new UsageError(`--add-se: the model has no layer or node '${target}' (use a layer name from the table, e.g. '${modules[0]?.name}', or a node name from the file)`);
    }
    const x = m?.output ?? (node?.outputs[0] as string);
    const shape = g.tensors.get(x)?.shape ?? [];
    if (shape.length !== 4) throw new UsageError(`--add-se: '${target}' outputs [${shape.join(', ')}], not an N x C x H x W feature map`);
    const se = seNodes((m === undefined || !m.name.startsWith(`${target}.`) ? (m?.name ?? target) : target).replace(/\//g, '.').replace(/^\./, ''), x, shape[1] as number, options);
    for (const w of se.weights) initializers.set(w.name, w);
    ({ nodes, outputs } = rewire(nodes, outputs, x, se.output));
    nodes.push(...se.nodes);
  }
  return { ...g.graph, nodes, outputs, initializers };
}
