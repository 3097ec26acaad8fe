// SE blocks found in a graph: global pooling, two FC (Gemm, MatMul or 1x1 Conv, bias or
// not) with an activation between, a sigmoid or hard-sigmoid gate, and a multiply of the
// gate with the tensor that was pooled. Views (Reshape, Flatten, ...) may sit anywhere between.
import type { InferredGraph } from './infer';
import { GraphIndex } from './graph-index';
import { opNames } from './names';
import { attrInts, type GraphNode } from './types';

export interface SeBlock {
  /** The module path the block's ops share (`layer2.0.se`), or its multiply's node name. */
  where: string;
  channels: number;
  hidden: number;
  /** C / hidden, as PyTorch's reduction ratio. */
  reduction: number;
  gate: 'sigmoid' | 'hardsigmoid';
  activation: string;
  bias: boolean;
  /** Every node of the block, views included: pool to multiply. */
  nodes: readonly string[];
}

const PASS_THROUGH = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Cast', 'Expand']);
const ACTIVATIONS = new Set(['Relu', 'Clip', 'LeakyRelu', 'HardSwish', 'Gelu', 'Elu', 'Selu', 'Tanh', 'Mish', 'PRelu']);

class Walker {
  constructor(private readonly index: GraphIndex) {}
  /** The node computing `tensor`, looking through views; `path` collects the views passed. */
  computing(tensor: string, path: GraphNode[]): GraphNode | undefined {
    const node = this.index.producer(tensor);
    if (node === undefined || !PASS_THROUGH.has(node.opType)) return node;
    path.push(node);
    return this.computing(node.inputs[0] ?? '', path);
  }
  /** The tensor behind views. */
  source(tensor: string): string {
    const node = this.index.producer(tensor);
    return node !== undefined && PASS_THROUGH.has(node.opType) ? this.source(node.inputs[0] ?? '') : tensor;
  }
  isWeight(tensor: string): boolean {
    return this.index.weight(tensor) !== undefined;
  }
  shape(tensor: string): readonly number[] {
    return this.index.g.tensors.get(tensor)?.shape ?? [];
  }
  /** An FC layer: Gemm, MatMul by a weight (maybe + bias Add), or a 1x1 Conv on a 1x1 map; its input tensor and width. */
  fc(node: GraphNode, path: GraphNode[]): { input: string; width: number; bias: boolean } | undefined {
    const out = this.shape(node.outputs[0] ?? '');
    const width = out[1] ?? 0;
    switch (node.opType) {
      case 'Gemm':
        return this.isWeight(node.inputs[1] ?? '') ? { input: node.inputs[0] ?? '', width: out.at(-1) ?? 0, bias: (node.inputs[2] ?? '') !== '' } : undefined;
      case 'Conv': {
        const kernel = attrInts(node, 'kernel_shape')?.map(Number) ?? this.shape(node.inputs[1] ?? '').slice(2);
        return kernel.every((k) => k === 1) && out.slice(2).every((d) => d === 1)
          ? { input: node.inputs[0] ?? '', width, bias: (node.inputs[2] ?? '') !== '' }
          : undefined;
      }
      case 'Add': {
        const [a = '', b = ''] = node.inputs;
        const [bias, rest] = this.isWeight(a) ? [a, b] : [b, a];
        const matmul = this.isWeight(bias) ? this.computing(rest, path) : undefined;
        if (matmul?.opType !== 'MatMul') return undefined;
        path.push(matmul);
        const inner = this.fc(matmul, path);
        return inner && { ...inner, bias: true };
      }
      case 'MatMul':
        return this.isWeight(node.inputs[1] ?? '') ? { input: node.inputs[0] ?? '', width: out.at(-1) ?? 0, bias: false } : undefined;
      default:
        return undefined;
    }
  }
}

function seAt(w: Walker, mul: GraphNode): SeBlock | undefined {
  const [a = '', b = ''] = mul.inputs;
  for (const [x, s] of [
    [a, b],
    [b, a],
  ] as const) {
    const nodes: GraphNode[] = [mul];
    const gate = w.computing(s, nodes);
    if (gate?.opType !== 'Sigmoid' && gate?.opType !== 'HardSigmoid') continue;
    nodes.push(gate);
    const fc2Node = w.computing(gate.inputs[0] ?? '', nodes);
    const fc2 = fc2Node && w.fc(fc2Node, nodes);
    if (fc2Node === undefined || fc2 === undefined) continue;
    nodes.push(fc2Node);
    const act = w.computing(fc2.input, nodes);
    // SiLU exported as Sigmoid then Mul counts as the activation too.
    const silu = act?.opType === 'Mul' ? act.inputs.map((t) => w.computing(t, [])).find((n) => n?.opType === 'Sigmoid') : undefined;
    if (act === undefined || (!ACTIVATIONS.has(act.opType) && silu === undefined)) continue;
    nodes.push(act, ...(silu ? [silu] : []));
    const fc1Node = w.computing(silu ? (silu.inputs[0] ?? '') : (act.inputs[0] ?? ''), nodes);
    const fc1 = fc1Node && w.fc(fc1Node, nodes);
    if (fc1Node === undefined || fc1 === undefined) continue;
    nodes.push(fc1Node);
    const pool = w.computing(fc1.input, nodes);
    const spatialMean = pool?.opType === 'ReduceMean' && w.shape(pool.inputs[0] ?? '').length === 4;
    if (pool === undefined || (pool.opType !== 'GlobalAveragePool' && !spatialMean)) continue;
    nodes.push(pool);
    if (w.source(pool.inputs[0] ?? '') !== w.source(x)) continue;
    const channels = w.shape(x)[1] ?? 0;
    if (fc2.width !== channels || fc1.width === 0) continue;
    return {
      where: mul.name,
      channels,
      hidden: fc1.width,
      reduction: channels / fc1.width,
      gate: gate.opType === 'Sigmoid' ? 'sigmoid' : 'hardsigmoid',
      activation: silu ? 'SiLU' : act.opType,
      bias: fc1.bias || fc2.bias,
      nodes: nodes.map((n) => n.name),
    };
  }
  return undefined;
}

/** The longest module path the block's ops share, from PyTorch scope names; `position` orders nodes as the graph runs them. */
function scopeOf(position: ReadonlyMap<string, [number, GraphNode]>, se: SeBlock): string {
  const nodes = se.nodes
    .map((name) => position.get(name))
    .filter((entry): entry is [number, GraphNode] => entry !== undefined)
    .sort(([a], [b]) => a - b)
    .map(([, node]) => node);
  const paths = [...opNames(nodes).values()].map((name) => name.split('.'));
  const first = paths[0] ?? [];
  let k = 0;
  while (k < first.length - 1 && paths.every((p) => p[k] === first[k] && p.length > k + 1)) k += 1;
  return k === 0 ? se.where : first.slice(0, k).join('.');
}

/** The folder a TensorFlow graph's block nodes share (`block_3/squeeze_excite/Conv/BiasAdd`, ... are `block_3/squeeze_excite`), or its multiply's name. */
function tfScopeOf(se: SeBlock): string {
  const paths = se.nodes.map((name) => name.split('/').slice(0, -1));
  const first = paths[0] ?? [];
  let k = 0;
  while (k < first.length && paths.every((p) => p[k] === first[k])) k += 1;
  return k === 0 ? se.where : first.slice(0, k).join('/');
}

export function findSeBlocks(g: InferredGraph): SeBlock[] {
  const w = new Walker(GraphIndex.of(g));
  // Built once: a search of the whole graph per block was quadratic (2,000 blocks: seconds).
  const position = new Map(g.order.map((node, i) => [node.name, [i, node] as [number, GraphNode]]));
  return g.order.flatMap((node) => {
    if (node.opType !== 'Mul') return [];
    const se = seAt(w, node);
    return se === undefined ? [] : [{ ...se, where: g.graph.format === 'tfjs-graph' ? tfScopeOf(se) : scopeOf(position, se) }];
  });
}
