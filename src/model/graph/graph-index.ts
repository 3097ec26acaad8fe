// Lookups over an inferred graph: who produces and who reads a tensor, its shape, and
// whether it is a weight or a constant.
import type { InferredGraph } from './infer';
import type { GraphNode, Initializer } from './types';

/** An initializer name the exporter made (a folded tensor), not a state_dict key of the model. */
export const isExporterMade = (name: string): boolean => name.startsWith('onnx::') || name.startsWith('/');

/** Ops whose inputs after the first are their weights (params and BN's statistics), whatever their names. */
export const WEIGHTED_OPS: ReadonlySet<string> = new Set([
  'Conv',
  'ConvTranspose',
  'Gemm',
  'MatMul',
  'BatchNormalization',
  'InstanceNormalization',
  'LayerNormalization',
  'GroupNormalization',
  'PRelu',
]);

/** An inferred graph is never changed after inference (an edit makes a new one): one index each. */
const indexes = new WeakMap<InferredGraph, GraphIndex>();

export class GraphIndex {
  /** The graph's index, built once: the plan, the groups, the SE finder, the schedule and the executor all read it. */
  static of(g: InferredGraph): GraphIndex {
    let index = indexes.get(g);
    if (index === undefined) {
      index = new GraphIndex(g);
      indexes.set(g, index);
    }
    return index;
  }
  private readonly producers = new Map<string, GraphNode>();
  private readonly readersOf = new Map<string, GraphNode[]>();
  private constructor(readonly g: InferredGraph) {
    for (const node of g.order) {
      for (const out of node.outputs) this.producers.set(out, node);
      for (const input of node.inputs) {
        const list = this.readersOf.get(input);
        if (list === undefined) this.readersOf.set(input, [node]);
        else list.push(node);
      }
    }
  }
  private trainedTensors: ReadonlySet<string> | undefined;
  producer(tensor: string): GraphNode | undefined {
    return this.producers.get(tensor);
  }
  /**
   * Whether autograd takes a gradient through the tensor: a graph input or a learned weight
   * reaches it. A tensor computed from constants only (Swin's attention mask, built at run time)
   * gets none, nor does an initializer read as data (Swin V2's coordinates table, a buffer).
   */
  trained(tensor: string): boolean {
    if (this.trainedTensors === undefined) {
      const trained = new Set(this.g.graph.inputs.map((i) => i.name));
      const learns = (node: GraphNode): boolean =>
        node.inputs.some((t, i) => this.weight(t) !== undefined && ((WEIGHTED_OPS.has(node.opType) && i > 0) || this.learned(t)));
      for (const node of this.g.order)
        if (!this.g.folded.has(node) && (node.inputs.some((t) => trained.has(t)) || learns(node))) for (const t of node.outputs) trained.add(t);
      this.trainedTensors = trained;
    }
    return this.trainedTensors.has(tensor);
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
  /**
   * Whether an initializer read as an operand is a learned tensor (an nn.Parameter or buffer
   * PyTorch named, `gamma`, `model.9.scale`) rather than one the exporter made by folding
   * (`onnx::Add_167`: a relative-position bias gathered from its table, anchors, strides).
   * Weights read by weighted ops (Conv, Gemm, MatMul) are params whatever their name; a folded
   * L2Norm scale is learned by the pattern it sits in (below).
   */
  learned(tensor: string): boolean {
    const name = this.weight(tensor);
    return (
      name !== undefined &&
      this.g.graph.initializers.get(name)?.constant !== true &&
      (!isExporterMade(name) || this.readers(tensor).some((reader) => this.scalesNormalized(reader)))
    );
  }
  /**
   * A Mul of `F.normalize(x)` (x / expand(clip(ReduceL2(x)))) by a learned scale, as SSD's L2Norm
   * writes it (`self.scale_weight.view(1, -1, 1, 1) * F.normalize(x)`, torchvision ssd.py): the
   * exporter folds the view into an `onnx::` initializer, yet it is an nn.Parameter.
   */
  private scalesNormalized(node: GraphNode): boolean {
    if (node.opType !== 'Mul') return false;
    return node.inputs.some((input) => {
      const div = this.producers.get(input);
      if (div?.opType !== 'Div') return false;
      let norm = this.producers.get(div.inputs[1] ?? '');
      while (norm !== undefined && ['Expand', 'Clip', 'Max'].includes(norm.opType)) norm = this.producers.get(norm.inputs[0] ?? '');
      return norm?.opType === 'ReduceL2' && norm.inputs[0] === div.inputs[0];
    });
  }
  /**
   * The tensor a `Constant` node holds, looking through Identity: YOLO's anchors and strides,
   * too large to fold (no values), read only when the measured run needs them.
   */
  constantNode(tensor: string): Initializer | undefined {
    const producer = this.producers.get(tensor);
    if (producer?.opType === 'Identity') return this.constantNode(producer.inputs[0] ?? '');
    const attr = producer?.opType === 'Constant' ? producer.attrs.get('value') : undefined;
    return attr?.kind === 'tensor' ? attr.value : undefined;
  }
  isConstant(tensor: string): boolean {
    return this.weight(tensor) !== undefined || this.g.tensors.get(tensor)?.values !== undefined || this.constantNode(tensor) !== undefined;
  }
  /** The value of a one-element constant (`x / 1.4142`, `+ 1e-5`), undefined for anything else. */
  scalar(tensor: string): number | undefined {
    const values = this.g.tensors.get(tensor)?.values;
    return values?.data.length === 1 ? Number(values.data[0]) : undefined;
  }
  readers(tensor: string): readonly GraphNode[] {
    return this.readersOf.get(tensor) ?? [];
  }
  onlyReader(tensor: string): GraphNode | undefined {
    const readers = this.readers(tensor);
    return readers.length === 1 && !this.g.graph.outputs.includes(tensor) ? readers[0] : undefined;
  }
}
