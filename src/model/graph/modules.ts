// A graph's nodes grouped as PyTorch has modules: one group per computing node, or a fused
// pair (Sigmoid then Mul is one SiLU, HardSigmoid then Mul one HardSwish, MatMul then the Add
// of a bias one Linear). Both derivations read the same groups, named by module path.
import { OP_KINDS } from '../../analyzers/ops';
import type { InferredGraph } from './infer';
import { opNames } from './names';
import { isSpatialZeroPad, padSpec } from './op-attrs';
import { attrFloat, attrInts, attrString, type GraphNode } from './types';

/** Ops that only relabel or select data: views in PyTorch, no cost under any convention. */
const VIEW_OPS: ReadonlySet<string> = new Set([
  'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Transpose', 'Slice', 'Split', 'Expand', 'Cast', 'Constant',
]);

export interface GraphModule {
  /** The op name, PyTorch style: `layer1.0.conv1`, `se.mul`. */
  name: string;
  /** The node that gives the module its op (the Conv, the MatMul, the activation's Mul). */
  main: GraphNode;
  /** Every node of the module, in execution order. */
  nodes: readonly GraphNode[];
  fused?: 'silu' | 'hardswish' | 'linear-bias' | 'padded-avg-pool';
  /** The tensor the module writes. */
  output: string;
  /** The modules whose outputs it reads (looking through views), `input` for a graph input. */
  reads: readonly string[];
}

/** Lookups over an inferred graph. */
export class GraphIndex {
  private readonly producers = new Map<string, GraphNode>();
  private readonly readersOf = new Map<string, GraphNode[]>();
  constructor(readonly g: InferredGraph) {
    for (const node of g.order) {
      for (const out of node.outputs) this.producers.set(out, node);
      for (const input of node.inputs) {
        const list = this.readersOf.get(input);
        if (list === undefined) this.readersOf.set(input, [node]);
        else list.push(node);
      }
    }
  }
  producer(tensor: string): GraphNode | undefined {
    return this.producers.get(tensor);
  }
  shape(tensor: string): readonly number[] {
    const info = this.g.tensors.get(tensor);
    if (info === undefined) throw new Error(`tensor '${tensor}' has no shape`);
    return info.shape;
  }
  /** The initializer behind a tensor, looking through Identity nodes (exporters share equal tensors so). */
  weight(tensor: string): string | undefined {
    if (tensor === '') return undefined;
    if (this.g.graph.initializers.has(tensor)) return tensor;
    const producer = this.producers.get(tensor);
    return producer?.opType === 'Identity' ? this.weight(producer.inputs[0] ?? '') : undefined;
  }
  isConstant(tensor: string): boolean {
    return this.weight(tensor) !== undefined || this.g.tensors.get(tensor)?.values !== undefined;
  }
  readers(tensor: string): readonly GraphNode[] {
    return this.readersOf.get(tensor) ?? [];
  }
  onlyReader(tensor: string): GraphNode | undefined {
    const readers = this.readers(tensor);
    return readers.length === 1 && !this.g.graph.outputs.includes(tensor) ? readers[0] : undefined;
  }
}

const hasKind = (kind: string): boolean => (OP_KINDS as readonly string[]).includes(kind);

/** x * gate(x) as one activation, when seprof has the activation's kind. */
function fusedActivation(index: GraphIndex, node: GraphNode): Omit<GraphModule, 'name' | 'reads'> | undefined {
  if (node.opType !== 'Sigmoid' && node.opType !== 'HardSigmoid') return undefined;
  const fused = node.opType === 'Sigmoid' ? 'silu' : 'hardswish';
  if (!hasKind(fused)) return undefined;
  const x = node.inputs[0] as string;
  const gate = node.outputs[0] as string;
  const mul = index.onlyReader(gate);
  if (mul?.opType !== 'Mul' || !mul.inputs.includes(x) || !mul.inputs.includes(gate)) return undefined;
  if (fused === 'hardswish' && Math.abs(attrFloat(node, 'alpha', 0.2) - 1 / 6) > 1e-6) return undefined;
  return { main: mul, nodes: [node, mul], fused, output: mul.outputs[0] as string };
}

/** MatMul by a weight matrix and the Add of a bias vector after it. */
function linearWithBias(index: GraphIndex, node: GraphNode): Omit<GraphModule, 'name' | 'reads'> | undefined {
  if (node.opType !== 'MatMul' || index.weight(node.inputs[1] ?? '') === undefined) return undefined;
  const add = index.onlyReader(node.outputs[0] as string);
  if (add?.opType !== 'Add' || !add.inputs.some((t) => t !== node.outputs[0] && index.weight(t) !== undefined)) return undefined;
  return { main: node, nodes: [node, add], fused: 'linear-bias', output: add.outputs[0] as string };
}

/**
 * A zero Pad of H and W and the unpadded AveragePool reading it: nn.AvgPool2d(k, s, padding=p)
 * (count_include_pad) as the exporter writes it, one module in PyTorch.
 */
function paddedAvgPool(index: GraphIndex, node: GraphNode): Omit<GraphModule, 'name' | 'reads'> | undefined {
  if (node.opType !== 'Pad' || !hasKind('avg_pool')) return undefined;
  const pool = index.onlyReader(node.outputs[0] as string);
  if (pool?.opType !== 'AveragePool' || pool.inputs[0] !== node.outputs[0]) return undefined;
  const unpadded = (attrInts(pool, 'pads') ?? []).every((p) => p === 0n) && attrString(pool, 'auto_pad', 'NOTSET') === 'NOTSET';
  if (!unpadded || !isSpatialZeroPad(padSpec(index.g, node))) return undefined;
  return { main: pool, nodes: [node, pool], fused: 'padded-avg-pool', output: pool.outputs[0] as string };
}

/** Both derivations, the SE finder and --add-se group the same graph: once. */
const grouped = new WeakMap<InferredGraph, GraphModule[]>();

export function graphModules(g: InferredGraph): GraphModule[] {
  const cached = grouped.get(g);
  if (cached !== undefined) return cached;
  const modules = groupModules(g);
  grouped.set(g, modules);
  return modules;
}

function groupModules(g: InferredGraph): GraphModule[] {
  const index = new GraphIndex(g);
  const drafts: Omit<GraphModule, 'name' | 'reads'>[] = [];
  const taken = new Set<GraphNode>();
  for (const node of g.order) {
    if (taken.has(node) || g.folded.has(node) || VIEW_OPS.has(node.opType)) continue;
    const draft = fusedActivation(index, node) ?? linearWithBias(index, node) ?? paddedAvgPool(index, node) ?? { main: node, nodes: [node], output: node.outputs[0] as string };
    for (const n of draft.nodes) taken.add(n);
    drafts.push(draft);
  }
  const names = opNames(drafts.map((d) => d.main));
  // Which module's output each tensor is, through views: what a module reads.
  const source = new Map<string, string>(g.graph.inputs.map((i) => [i.name, 'input']));
  const moduleOf = new Map(drafts.flatMap((d) => d.nodes.map((n) => [n, d] as const)));
  for (const node of g.order) {
    const d = moduleOf.get(node);
    if (d !== undefined) {
      if (node === d.nodes.at(-1)) for (const out of node.outputs) source.set(out, names.get(d.main) as string);
    } else if (VIEW_OPS.has(node.opType)) {
      const from = source.get(node.inputs[0] ?? '');
      if (from !== undefined) for (const out of node.outputs) source.set(out, from);
    }
  }
  return drafts.map((d) => {
    const inputs = d.nodes.flatMap((n) => n.inputs).filter((t) => t !== '' && !index.isConstant(t));
    const reads = [...new Set(inputs.map((t) => source.get(t)).filter((s): s is string => s !== undefined && s !== names.get(d.main)))];
    return { ...d, name: names.get(d.main) as string, reads };
  });
}
