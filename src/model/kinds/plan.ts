// A graph module as an op of seprof's kinds: the one decision both derivations' inputs rest on.
// The analytic path turns it into an Op; the executor runs that kind's formula for it.
import { GraphIndex, isExporterMade } from '../graph/graph-index';
import { count } from '../graph/tensor-info';
import type { InferredGraph } from '../graph/infer';
import { nodeGroups, type NodeGroup } from '../graph/node-groups';
import { ORIGINS } from '../graph/origins';
import { sharedWeights } from '../graph/shared-weights';
import type { OpAttrs, OpKind } from '../../analyzers/ops';
import { KIND_ENTRIES } from './index';
import type { Planned } from './kind';

/**
 * Kinds an nn.Module or a function makes alike (nn.ReLU or F.relu) and that thop or ptflops count
 * differently by who made them. The others are operators or functions whatever the scope (`+`,
 * `torch.cat`, `x.mean`, `torch.matmul`), or counted alike either way (sigmoid, tanh: 0).
 */
const MODULE_OR_FUNCTION: ReadonlySet<OpKind> = new Set<OpKind>([
  'conv2d',
  'conv_transpose',
  'batchnorm',
  'layernorm',
  'group_norm',
  'linear',
  'relu',
  'relu6',
  'leaky_relu',
  'prelu',
  'gelu',
  'silu',
  'softmax',
  'global_avg_pool',
  'avg_pool',
  'max_pool',
  'resize',
]);

/** Params of the weights a module reads that an earlier module read first: counted there, once (model/graph/shared-weights). */
export function repeatedParams(index: GraphIndex, m: NodeGroup): bigint {
  return sharedWeights(index, nodeGroups(index.g), m).reduce((n, w) => n + w.numel, 0n);
}

/** What the graph says beyond the kind: who made the op, and the model's batch where the op's dim 0 is not it. */
export function callAttrs(index: GraphIndex, m: NodeGroup, kind: OpKind, inputs: readonly string[]): OpAttrs {
  const origin = m.called.origin !== 'module' && MODULE_OR_FUNCTION.has(kind) ? { origin: m.called.origin } : {};
  const batch = index.g.inputShapes.values().next().value?.[0];
  const first = inputs[0] === undefined ? undefined : index.shape(inputs[0])[0];
  return { ...origin, ...(batch !== undefined && first !== undefined && first !== batch && { batch }) };
}

/** Ops whose first input is data their weights act on: an initializer there is a buffer, not their param. */
const WEIGHTED_DATA: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/**
 * The inputs autograd takes no gradient for: an activation no graph input and no learned weight
 * reaches (Swin's attention mask, built from constants at run time), or an initializer a weighted
 * op reads as data (a buffer: Swin V2's coordinates table into its position MLP); an initializer
 * read as itself (Swin V2's clamped logit scale) is the op's param. `all` when that is every
 * input and the op learns nothing: it has no backward pass.
 */
function frozenInputs(index: GraphIndex, m: NodeGroup, inputs: readonly string[], params: bigint): OpAttrs['frozen'] {
  const frozen = (t: string): boolean => (index.weight(t) === undefined ? !index.trained(t) : WEIGHTED_DATA.has(m.main.opType) || !index.learned(t));
  const at = inputs.flatMap((t, i) => (frozen(t) ? [i] : []));
  if (at.length === 0) return undefined;
  return at.length === inputs.length && params === 0n ? 'all' : at;
}

/** The module's op, or undefined when seprof has no kind for it (counted as zero, listed). */
export function planModule(index: GraphIndex, m: NodeGroup): Planned<OpKind> | undefined {
  const claims = KIND_ENTRIES.filter(([, d]) => (m.fused === undefined ? d.onnx.opTypes?.includes(m.main.opType) : d.onnx.fusions?.includes(m.fused)));
  for (const [kind, definition] of claims) {
    const planned = definition.plan(index, m);
    if (planned === undefined) continue;
    const params = (planned.params ?? 0n) - repeatedParams(index, m);
    const frozen = frozenInputs(index, m, planned.inputs, planned.params ?? 0n);
    const attrs = { ...planned.attrs, ...callAttrs(index, m, kind, planned.inputs), ...(frozen !== undefined && { frozen }) };
    return { kind, ...planned, attrs, ...(planned.params !== undefined && { params }) };
  }
  return undefined;
}

const listed = (names: readonly string[]): string => `${names.slice(0, 6).join(', ')}${names.length > 6 ? `, ... (${names.length})` : ''}`;

/**
 * Exporter-made initializers read as elementwise operands: constants (a folded bias table, anchors),
 * with their shapes. A group norm's Mul and Add read its weight and bias (`weight.view(C, 1, 1)` folded): params.
 */
function foldedConstants(index: GraphIndex, groups: readonly NodeGroup[]): string[] {
  // A group norm's Mul and Add read its weight and bias; SSD's L2Norm scale is learned (GraphIndex.learned): not listed.
  const operands = groups.filter((m) => m.fused !== 'group-norm');
  const read = new Set(
    operands.flatMap((m) =>
      m.nodes.filter((n) => ELEMENTWISE.has(n.opType)).flatMap((n) => n.inputs.filter((t) => !index.learned(t)).map((t) => index.weight(t) ?? t)),
    ),
  );
  return [...index.g.graph.initializers.values()]
    .filter((init) => read.has(init.name) && isExporterMade(init.name) && init.dims.length > 0 && count(init.dims) > 1n)
    .map((init) => `${init.name} (${init.dims.join('x')})`);
}

const ELEMENTWISE: ReadonlySet<string> = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow']);

/** What the output says about how the plan read the file: who made the ops (the scope names, `--origin`, or no scope names), weights read again, folded constants. */
export function planNotes(g: InferredGraph): string[] {
  const index = GraphIndex.of(g);
  const groups = nodeGroups(g).filter((m) => {
    const kind = planModule(index, m)?.kind;
    return kind !== undefined && MODULE_OR_FUNCTION.has(kind);
  });
  const notes: string[] = [];
  const byScope = groups.filter((m) => m.called.by === 'scope' && m.called.origin === 'function');
  const first = byScope[0];
  if (first !== undefined) {
    const count = byScope.length === 1 ? '1 op was' : `${byScope.length} ops were`;
    notes.push(
      `${count} made by a function called in a module's forward, not by a module of its own, as the exporter's scope names show (${first.main.name}: in the scope of a module with submodules or other ops): thop counts them 0, ptflops only the functions it patches, once (shown F.KIND; --origin LAYER=module says otherwise): ${listed(byScope.map((m) => m.name))}`,
    );
  }
  const dfl = groups.filter((m) => m.called.by === 'yolo dfl').map((m) => m.name);
  if (dfl.length > 0)
    notes.push(
      `a YOLO export (its metadata names a stride): the DFL's softmax is YOLO's x.softmax(1), a tensor method, 0 in thop and ptflops (--origin LAYER=function says otherwise): ${listed(dfl)}`,
    );
  for (const origin of ORIGINS) {
    const set = groups.filter((m) => m.called.by === 'option' && m.called.origin === origin).map((m) => m.name);
    if (set.length > 0)
      notes.push(
        `--origin: ${listed(set)} counted as made by a ${origin === 'method' ? 'tensor method (x.softmax(1): 0 in thop and ptflops)' : origin === 'function' ? 'function (F.relu: 0 in thop, its patched function in ptflops)' : 'module (nn.ReLU: its hook in thop and ptflops)'}`,
      );
  }
  const all = nodeGroups(g);
  const shared = all.flatMap((m) => sharedWeights(index, all, m).map((w) => `${w.tensor} (${w.numel}) in ${w.owner}, read again by ${m.name}`));
  if (shared.length > 0)
    notes.push(
      `weights read by several modules (a module called several times) are params once, where first read, as PyTorch's sum(p.numel()): ${listed(shared)}`,
    );
  const constants = foldedConstants(index, all);
  if (constants.length > 0)
    notes.push(`constants, not params: initializers the exporter made by folding (onnx:: names), read as operands, not as weights: ${listed(constants)}`);
  if (g.graph.format === 'onnx' && groups.length > 0 && groups.every((m) => m.called.by === 'no scope')) {
    notes.push(
      "the file's node names carry no module scopes (renamed or simplified): every op is taken as a module's (nn.ReLU, not F.relu), which thop and ptflops count by its hook; --origin LAYER=function says where a function made one",
    );
  }
  return notes;
}
