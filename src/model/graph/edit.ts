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

/** Readers of each `from` tensor and the graph outputs read its `to` instead: one pass for any number of tensors. */
function rewire(nodes: readonly GraphNode[], outputs: readonly string[], to: ReadonlyMap<string, string>) {
  const swap = (t: string): string => to.get(t) ?? t;
  return {
    nodes: nodes.map((n) => (!n.inputs.some((t) => to.has(t)) ? n : { ...n, inputs: n.inputs.map(swap) })),
    outputs: outputs.map(swap),
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
    ({ nodes, outputs } = rewire(kept, outputs, new Map([[mul.outputs[0] as string, x]])));
  }
  return { ...graph, nodes, outputs };
}

const node = (name: string, opType: string, inputs: string[], output: string, attrs: [string, Attr][] = []): GraphNode => ({
  name,
  opType,
  domain: '',
  inputs,
  outputs: [output],
  attrs: new Map(attrs),
});

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

/** The first of `items` under each key: lookups in constant time, where a search per target made --add-se quadratic. */
function firstBy<T>(items: readonly T[], keys: (item: T) => readonly string[]): Map<string, T> {
  const byKey = new Map<string, T>();
  for (const item of items) for (const key of keys(item)) if (!byKey.has(key)) byKey.set(key, item);
  return byKey;
}

/**
 * SE inserted after each named layer (as in the table), module path (a container: after its
 * last layer) or node (by its name in the file), in
 * time linear in the graph and the targets. Two targets with the same output are refused: the
 * second SE would read the first one's input and output at once, a cycle.
 */
export function withSeAfter(g: InferredGraph, targets: readonly string[], options: SeOptions): Graph {
  const modules = nodeGroups(g);
  const moduleByName = firstBy(modules, (m) => [m.name]);
  const moduleByNode = firstBy(modules, (m) => m.nodes.map((n) => n.name));
  const nodeByName = firstBy(g.order, (n) => [n.name]);
  // A module path that holds several layers (a container: `features.2.block.0`, conv and activation) means its last layer's output.
  const lastInContainer = new Map(
    modules.flatMap((m) =>
      m.name
        .split('.')
        .slice(0, -1)
        .map((_, i, parts) => [parts.slice(0, i + 1).join('.'), m] as const),
    ),
  );
  const added: GraphNode[] = [];
  const rewired = new Map<string, string>();
  const targetOf = new Map<string, string>();
  const initializers = new Map(g.graph.initializers);
  for (const target of targets) {
    const m = moduleByName.get(target) ?? moduleByNode.get(target) ?? lastInContainer.get(target);
    const node = nodeByName.get(target);
    if (m === undefined && node === undefined) {
      throw new UsageError(
        `--add-se: the model has no layer or node '${target}' (use a layer name from the table, e.g. '${modules[0]?.name}', or a node name from the file)`,
      );
    }
    const x = m?.output ?? (node?.outputs[0] as string);
    const shape = g.tensors.get(x)?.shape ?? [];
    if (shape.length !== 4) throw new UsageError(`--add-se: '${target}' outputs [${shape.join(', ')}], not an N x C x H x W feature map`);
    const earlier = targetOf.get(x);
    if (earlier !== undefined) throw new UsageError(`--add-se: '${earlier}' and '${target}' name the same output: SE goes once after it`);
    targetOf.set(x, target);
    const se = seNodes(
      (m === undefined || m.name === target || !m.name.startsWith(`${target}.`) ? (m?.name ?? target) : target).replace(/\//g, '.').replace(/^\./, ''),
      x,
      shape[1] as number,
      options,
    );
    for (const w of se.weights) initializers.set(w.name, w);
    rewired.set(x, se.output);
    added.push(...se.nodes);
  }
  const { nodes, outputs } = rewire(g.graph.nodes, g.graph.outputs, rewired);
  return { ...g.graph, nodes: [...nodes, ...added], outputs, initializers };
}
