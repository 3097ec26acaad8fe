// A model file's graph to the op list: each module of the graph (see model/graph/modules)
// becomes one Op of seprof's kinds. Views and folded shape arithmetic cost nothing; modules
// without a kind are listed, counted as zero.
import { UsageError } from '../../errors';
import { loadFileModel } from '../../model/file-support';
import type { InferredGraph } from '../../model/graph/infer';
import { GraphIndex } from '../../model/graph/graph-index';
import { nodeGroups } from '../../model/graph/node-groups';
import { planModule } from '../../model/kinds/plan';
import { fileRequest, type FileSpec } from '../../model/spec';
import { makeOp, type Op } from '../ops';

export interface Unsupported {
  opType: string;
  nodes: string[];
}

export interface GraphOps {
  ops: Op[];
  /** The graph nodes behind each op, by op name. */
  nodesOf: ReadonlyMap<string, readonly string[]>;
  /** Computing ops seprof has no kind for: counted as zero, listed by op type. */
  unsupported: Unsupported[];
  /** View and folded shape-arithmetic nodes: free. */
  free: number;
  notes: string[];
}

const mapped = new WeakMap<InferredGraph, GraphOps>();

/** The op list of a graph, once per graph (the profile and its findings both read it). */
function graphOps(g: InferredGraph): GraphOps {
  const cached = mapped.get(g);
  if (cached !== undefined) return cached;
  const result = mapGraph(g);
  mapped.set(g, result);
  return result;
}

function mapGraph(g: InferredGraph): GraphOps {
  const index = GraphIndex.of(g);
  const modules = nodeGroups(g);
  const ops: Op[] = [];
  const nodesOf = new Map<string, string[]>();
  const unsupported = new Map<string, string[]>();
  for (const m of modules) {
    const p = planModule(index, m);
    if (p === undefined) {
      const list = unsupported.get(m.main.opType);
      if (list === undefined) unsupported.set(m.main.opType, [m.main.name]);
      else list.push(m.main.name);
      continue;
    }
    const extra = { attrs: p.attrs ?? {}, params: p.params ?? 0n, buffers: p.buffers ?? 0n, reads: m.reads };
    ops.push(makeOp(m.name, p.kind, p.shapes === undefined ? p.inputs.map((t) => index.shape(t)) : [...p.shapes], index.shape(m.output), extra));
    nodesOf.set(
      m.name,
      m.nodes.map((n) => n.name),
    );
  }
  const notes = [...g.notes];
  const opTypes = new Set(g.order.map((n) => n.opType));
  // Folding BN into a conv gives it a bias the exporter names (`onnx::Conv_64`), not a module's
  // `conv.bias`: a graph without one never had BN to fold (ConvNeXt, a ViT's patch embedding).
  const folded = g.order.some((n) => n.opType === 'Conv' && (n.inputs[2] ?? '') !== '' && !(n.inputs[2] ?? '').endsWith('.bias'));
  if (folded && !opTypes.has('BatchNormalization') && g.graph.format === 'onnx') {
    notes.push(
      'the graph has convolutions and no BatchNormalization: any BN the model had was folded into the convs by the exporter (as PyTorch exports in eval mode), so counts match the peers on the BN-fused model, not on the original',
    );
  }
  // tensorflowjs_converter folds a Keras BatchNormalization into the conv before it (the conv's bias, `Conv2D_bn_offset`).
  const converterFolded = g.order.some((n) => n.opType === 'Conv' && /_bn_offset$/.test(n.inputs[2] ?? ''));
  if (converterFolded && !opTypes.has('BatchNormalization') && g.graph.format === 'tfjs-graph') {
    notes.push(
      "tensorflowjs_converter folded the model's BatchNorm into its convs (their biases are named _bn_offset), so counts are of the BN-fused model, not of the Keras or TensorFlow model before conversion",
    );
  }
  const computing = new Set(modules.flatMap((m) => m.nodes));
  return {
    ops,
    nodesOf,
    unsupported: [...unsupported]
      .map(([opType, nodes]) => ({ opType, nodes }))
      .sort((a, b) => b.nodes.length - a.nodes.length || a.opType.localeCompare(b.opType)),
    free: g.order.filter((n) => !computing.has(n)).length,
    notes,
  };
}

/** The ops of a file spec; with --strict an op seprof cannot count is an error. */
export function fileOps(spec: FileSpec): GraphOps {
  const result = graphOps(loadFileModel(fileRequest(spec)).inferred);
  if (spec.strict && result.unsupported.length > 0) {
    const list = result.unsupported.map((u) => `${u.opType} x${u.nodes.length} (${u.nodes[0]}${u.nodes.length > 1 ? ', ...' : ''})`).join(', ');
    throw new UsageError(`${spec.file}: --strict: ops seprof does not count: ${list}`);
  }
  return result;
}
