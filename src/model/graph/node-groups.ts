// A graph's nodes grouped as PyTorch has modules: one group per computing node, or several
// that are one module (model/graph/fusions). Both derivations read the same groups, named by
// module path.
import { fusedModule, type GroupDraft } from './fusions';
import { GraphIndex } from './graph-index';
import type { InferredGraph } from './infer';
import { opNames } from './names';
import { groupOrigins, type Called } from './origins';
import type { GraphNode } from './types';

/** Ops that only relabel or select data: views in PyTorch, no cost under any convention. */
const VIEW_OPS: ReadonlySet<string> = new Set([
  'Reshape',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'Identity',
  'Dropout',
  'Transpose',
  'Slice',
  'Split',
  'Expand',
  'Cast',
  'Constant',
]);

/**
 * A view node: a VIEW_OPS op, or a Gather by constant indices (`x[:, 0]`, ViT's class token:
 * aten::select, a view every peer leaves at 0).
 */
export function isViewNode(index: GraphIndex, node: GraphNode): boolean {
  return VIEW_OPS.has(node.opType) || (node.opType === 'Gather' && index.isConstant(node.inputs[1] ?? ''));
}

/**
 * Ops that compute masks, indices and selections rather than features: comparisons, logic,
 * Where (masked_fill), ScatterND (a slice assigned in place), Mod, ConstantOfShape and Range
 * (zeros, arange), a Gather by computed indices. No peer counts them: fvcore's `_IGNORED_OPS`
 * (jit_analysis.py:28-86) lists aten::eq, gt, ge, __and__, bitwise_not, masked_fill, index_put_,
 * copy_, remainder, zeros, arange, gather and index as "truly 0 flops" (aten::ne, lt, le and
 * where count 0 as unsupported ops), and thop and ptflops see no module or patched function in
 * them. So they are no module: the executor runs them between modules, as it runs views (Swin's
 * shifted-window attention mask is built so at run time).
 */
const VALUE_OPS: ReadonlySet<string> = new Set([
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Where',
  'ScatterND',
  'Mod',
  'ConstantOfShape',
  'Range',
  'Gather',
]);

/**
 * A value node: a VALUE_OPS op that is not a view (a Gather by computed indices), but a Gather
 * from a learned table (nn.Embedding: its weight is params seprof does not count yet, so listed).
 */
export function isValueNode(index: GraphIndex, node: GraphNode): boolean {
  if (node.opType === 'Gather' && index.learned(node.inputs[0] ?? '')) return false;
  return VALUE_OPS.has(node.opType) && !isViewNode(index, node);
}

export interface NodeGroup extends GroupDraft {
  /** The op name, PyTorch style: `layer1.0.conv1`, `se.mul`. */
  name: string;
  /** The modules whose outputs it reads (looking through views), `input` for a graph input. */
  reads: readonly string[];
  /** Whether a module or a function call made it, and how seprof knows (model/graph/origins). */
  called: Called;
  /**
   * Slots of a one-node module that read an activation another of its slots reads (Concat(x, x)
   * has 1): each slot gets its own gradient, which autograd sums as it sums two modules' reads.
   */
  repeatedReads: number;
}

/** Both derivations, the SE finder and --add-se group the same graph: once. */
const grouped = new WeakMap<InferredGraph, NodeGroup[]>();

export function nodeGroups(g: InferredGraph): NodeGroup[] {
  const cached = grouped.get(g);
  if (cached !== undefined) return cached;
  const modules = groupModules(g);
  grouped.set(g, modules);
  return modules;
}

function groupModules(g: InferredGraph): NodeGroup[] {
  const index = GraphIndex.of(g);
  const drafts: GroupDraft[] = [];
  const taken = new Set<GraphNode>();
  for (const node of g.order) {
    if (taken.has(node) || g.folded.has(node) || isViewNode(index, node) || isValueNode(index, node)) continue;
    const draft = fusedModule(index, node) ?? { main: node, nodes: [node], output: node.outputs[0] as string };
    for (const n of draft.nodes) taken.add(n);
    drafts.push(draft);
  }
  const names = opNames(drafts.map((d) => d.main));
  const called = groupOrigins(g.graph.nodes, drafts, names, g.origins, g.graph.stride !== undefined);
  // Which module's output each tensor is, through views: what a module reads.
  const source = new Map<string, string>(g.graph.inputs.map((i) => [i.name, 'input']));
  const moduleOf = new Map(drafts.flatMap((d) => d.nodes.map((n) => [n, d] as const)));
  for (const node of g.order) {
    const d = moduleOf.get(node);
    if (d !== undefined) {
      if (node === d.nodes.at(-1)) for (const out of node.outputs) source.set(out, names.get(d.main) as string);
    } else if (isViewNode(index, node) || isValueNode(index, node)) {
      // A value op's data is its first input with a source (Where's selected activation, not its condition's constants).
      const from = node.inputs.map((t) => source.get(t)).find((s) => s !== undefined);
      if (from !== undefined) for (const out of node.outputs) source.set(out, from);
    }
  }
  return drafts.map((d) => {
    const inputs = d.nodes.flatMap((n) => n.inputs).filter((t) => t !== '' && !index.isConstant(t));
    const reads = [...new Set(inputs.map((t) => source.get(t)).filter((s): s is string => s !== undefined && s !== names.get(d.main)))];
    const repeatedReads = d.nodes.length === 1 ? inputs.length - new Set(inputs).size : 0;
    return { ...d, name: names.get(d.main) as string, reads, repeatedReads, called: called.get(d) as Called };
  });
}
