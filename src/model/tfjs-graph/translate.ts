// A GraphDef's nodes (NHWC, TensorFlow's ops and the converter's fused ones) to ONNX-vocabulary
// nodes in NCHW, the graph seprof counts and executes. One rule keeps the layouts apart: a rank-4
// tensor of the translated graph is NCHW, a tensor of any other rank is in TensorFlow's order, so
// an op that changes a rank to or from 4 moves the data through a Transpose (a view: free in every
// convention), except where both orders hold the same data (a 1 x 1 map, SE's squeezed vector).
import { UsageError } from '../../errors';
import { DTYPE, type Attr, type FileBytes, type Graph, type GraphInput, type GraphNode, type Initializer, type Values } from '../graph/types';
import { ALIASES, type Constant, executionOrder, nodeOf, outputIndex, Plan, type TfNode } from './plan';

interface Tensor {
  name: string;
  rank: number;
  /** A rank-4 map known to be 1 x 1 (pooled): its NCHW and NHWC orders hold the same data. */
  oneByOne?: boolean;
  /** A rank-4 map's channels, where the translation knows them: a conv whose filter takes fewer is grouped. */
  channels?: number;
}

/** Transpose perms: an NCHW tensor into TensorFlow's NHWC order, and back. */
const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
/** The NCHW axis of each NHWC axis. */
const NCHW_AXIS = [0, 2, 3, 1];

// Keyed by the op names a file gives: Maps, so that an op named `constructor` or `toString` is no key.
const UNARY: ReadonlyMap<string, string> = new Map(
  Object.entries({
    Relu: 'Relu',
    Sigmoid: 'Sigmoid',
    Tanh: 'Tanh',
    Elu: 'Elu',
    Selu: 'Selu',
    Softplus: 'Softplus',
    Exp: 'Exp',
    Erf: 'Erf',
    Sqrt: 'Sqrt',
    Neg: 'Neg',
    Abs: 'Abs',
  }),
);
const BINARY: ReadonlyMap<string, string> = new Map(
  Object.entries({
    Add: 'Add',
    AddV2: 'Add',
    Sub: 'Sub',
    Mul: 'Mul',
    RealDiv: 'Div',
    Div: 'Div',
    Maximum: 'Max',
    Minimum: 'Min',
    Pow: 'Pow',
  }),
);
const REDUCE: ReadonlyMap<string, string> = new Map(Object.entries({ Mean: 'ReduceMean', Sum: 'ReduceSum', Max: 'ReduceMax', Min: 'ReduceMin' }));
const CONVS: ReadonlyMap<string, 'conv' | 'depthwise'> = new Map(
  Object.entries({
    Conv2D: 'conv',
    _FusedConv2D: 'conv',
    DepthwiseConv2dNative: 'depthwise',
    FusedDepthwiseConv2dNative: 'depthwise',
    _FusedDepthwiseConv2dNative: 'depthwise',
  }),
);
/** The activations a fused op may end with (tfjs-converter's fused kernels). */
const FUSED_ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Prelu']);

const ints = (v: readonly number[]): Attr => ({ kind: 'ints', value: v.map(BigInt) });
const int = (v: number): Attr => ({ kind: 'int', value: BigInt(v) });
const float = (v: number): Attr => ({ kind: 'float', value: v });
const str = (v: string): Attr => ({ kind: 'string', value: v });

/** A layer's name: its node's, without the segments TensorFlow's function calls add (`StatefulPartitionedCall/`), which say nothing of the model. */
const layerName = (name: string): string =>
  name
    .split('/')
    .filter((s) => s !== 'StatefulPartitionedCall' && s !== 'PartitionedCall')
    .join('/') || name;

/** Row-major values of shape `dims` transposed by `perm` (output axis i is input axis perm[i]). */
function permuted<T>(data: readonly T[], dims: readonly number[], perm: readonly number[]): T[] {
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = perm.map((p) => dims[p] as number);
  return Array.from({ length: data.length }, (_, k) => {
    let rest = k;
    let at = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      const size = out[i] as number;
      at += (rest % size) * (strides[perm[i] as number] as number);
      rest = Math.floor(rest / size);
    }
    return data[at] as T;
  });
}

class Translator {
  readonly nodes: GraphNode[] = [];
  readonly initializers = new Map<string, Initializer>();
  readonly inputs: GraphInput[] = [];
  private readonly tensors = new Map<string, Tensor>();
  private readonly names = new Set<string>();

  constructor(
    private readonly plan: Plan,
    private readonly consts: ReadonlyMap<string, Constant>,
    private readonly path: string,
  ) {}

  private fail(n: TfNode, what: string): never {
    throw new UsageError(`${this.path}: node '${n.name}' (${n.op}): ${what}`);
  }

  private unique(name: string): string {
    let taken = name;
    for (let k = 1; this.names.has(taken); k++) taken = `${name}_${k}`;
    this.names.add(taken);
    return taken;
  }

  private emit(opType: string, name: string, inputs: readonly string[], attrs: [string, Attr][] = [], output = name, domain = ''): string {
    this.nodes.push({ name: this.unique(layerName(name)), opType, domain, inputs, outputs: [output], attrs: new Map(attrs) });
    return output;
  }

  constant(ref: string): Constant | undefined {
    const resolved = this.plan.resolve(ref);
    return outputIndex(resolved) === 0 ? this.consts.get(nodeOf(resolved)) : undefined;
  }

  /**
   * A constant as an initializer: as stored, or laid out as `dims` (its stored axes permuted by
   * `perm` first). A value the converter wrote (a literal such as 3, or a folded tensor) is marked
   * so, and read as an operand it is a constant, not params; a variable's read (`ReadVariableOp`,
   * a captured `Func/` input) is learned.
   */
  initializer(c: Constant, layout?: { suffix: string; dims: readonly number[]; perm?: readonly number[] }): string {
    const name = layout === undefined ? c.name : `${c.name}${layout.suffix}`;
    if (this.initializers.has(name)) return name;
    const perm = layout?.perm;
    const values: Values | undefined =
      c.values === undefined || perm === undefined
        ? c.values
        : c.values.kind === 'int'
          ? { kind: 'int', data: permuted(c.values.data, c.dims, perm) }
          : { kind: 'float', data: permuted(c.values.data, c.dims, perm) };
    const data: FileBytes | undefined = c.at && { kind: 'files', ...c.at, ...(perm && { stored: { dims: c.dims, perm } }) };
    const dtype = c.dtype === 'float32' ? DTYPE.float : values?.kind === 'int' ? DTYPE.int64 : DTYPE.int32;
    const learned = /ReadVariableOp|^Func\//.test(c.name);
    this.initializers.set(name, {
      name,
      dtype,
      dims: layout?.dims ?? c.dims,
      ...(values && { values }),
      ...(data && { data }),
      ...(!learned && { constant: true }),
    });
    return name;
  }

  private intConstant(name: string, values: readonly number[]): string {
    const unique = this.unique(name);
    this.initializers.set(unique, { name: unique, dtype: DTYPE.int64, dims: [values.length], values: { kind: 'int', data: values.map(BigInt) } });
    return unique;
  }

  /** The translated tensor a reference reads; a constant becomes its initializer, as stored. */
  value(ref: string, n: TfNode): Tensor {
    const c = this.constant(ref);
    if (c !== undefined) return { name: this.initializer(c), rank: c.dims.length };
    const resolved = this.plan.resolve(ref);
    const t = this.tensors.get(resolved);
    if (t === undefined) this.fail(n, `reads output ${outputIndex(resolved)} of '${nodeOf(resolved)}', which seprof does not read`);
    return t;
  }

  /** A constant input's values (a shape, axes, paddings), which the node needs to be read. */
  private values(n: TfNode, slot: number, what: string): number[] {
    const c = this.constant(n.inputs[slot] ?? '');
    if (c?.values === undefined) this.fail(n, `its ${what} (input ${slot}) is computed in the graph, not a constant: seprof reads constant ${what}`);
    return c.values.data.map(Number);
  }

  private set(ref: string, t: Tensor): void {
    this.tensors.set(ref, t);
  }

  /** `t` in TensorFlow's order and shape: a rank-4 (NCHW) tensor transposed to NHWC (a 1 x 1 map too: its axes are numbered so). */
  private tfOrder(t: Tensor, at: string): string {
    return t.rank === 4 ? this.emit('Transpose', `${at}/to_nhwc`, [t.name], [['perm', ints(TO_NHWC)]], `${at}/nhwc_input`) : t.name;
  }

  /** A result computed in TensorFlow's order, named `output`: a rank-4 one transposed to NCHW. */
  private fromTfOrder(at: string, output: string, rank: number, compute: (out: string) => void): Tensor {
    if (rank !== 4) {
      compute(output);
      return { name: output, rank };
    }
    const inner = `${output}/nhwc`;
    compute(inner);
    this.emit('Transpose', `${at}/to_nchw`, [inner], [['perm', ints(TO_NCHW)]], output);
    return { name: output, rank };
  }

  run(n: TfNode): void {
    if (n.op === 'Const' || n.op === 'NoOp' || ALIASES.has(n.op)) return;
    const x = (): Tensor => this.value(n.inputs[0] ?? '', n);
    const biasOf = this.plan.biasOf.get(n.name);
    const hardSigmoid = this.plan.hardSigmoid.get(n.name);
    const unary = UNARY.get(n.op);
    const binary = BINARY.get(n.op);
    const reduce = REDUCE.get(n.op);
    if (n.op === 'Placeholder') this.placeholder(n);
    else if (biasOf !== undefined) this.weighted(biasOf, n.name, [n.inputs[1] ?? ''], ['BiasAdd']);
    else if (hardSigmoid !== undefined) {
      const input = this.value(hardSigmoid.input, n);
      this.emit(
        'HardSigmoid',
        n.name,
        [input.name],
        [
          ['alpha', float(hardSigmoid.alpha)],
          ['beta', float(hardSigmoid.beta)],
        ],
      );
      this.set(n.name, { ...input, name: n.name });
    } else if (CONVS.has(n.op) || n.op === 'MatMul' || n.op === '_FusedMatMul') this.fused(n);
    else if (unary !== undefined) this.set(n.name, { ...x(), name: this.emit(unary, n.name, [x().name]) });
    else if (binary !== undefined || n.op === 'BiasAdd') this.binary(n, binary ?? 'Add');
    else if (reduce !== undefined) this.reduce(n, reduce);
    else if (n.op === 'Prelu')
      this.set(n.name, { ...x(), name: this.activation('Prelu', n.name, x().name, n.name, 0, this.slope(n, n.inputs[1] ?? '', x().rank)) });
    else if (n.op === 'Relu6' || n.op === 'LeakyRelu')
      this.set(n.name, { ...x(), name: this.activation(n.op, n.name, x().name, n.name, n.attrs.float('alpha', 0.2)) });
    // TensorFlow's softmax is over the last axis: the channels of a map.
    else if (n.op === 'Softmax') this.set(n.name, { ...x(), name: this.emit('Softmax', n.name, [x().name], [['axis', int(x().rank === 4 ? 1 : -1)]]) });
    else this.other(n);
  }

  /** The ops that are neither weighted, elementwise nor reductions, each translated by its method. */
  private readonly structural: ReadonlyMap<string, (n: TfNode) => void> = new Map(
    Object.entries({
      AvgPool: (n) => this.pool(n),
      MaxPool: (n) => this.pool(n),
      FusedBatchNorm: (n) => this.batchNorm(n),
      FusedBatchNormV2: (n) => this.batchNorm(n),
      FusedBatchNormV3: (n) => this.batchNorm(n),
      ConcatV2: (n) => this.concat(n),
      Pad: (n) => this.pad(n),
      PadV2: (n) => this.pad(n),
      MirrorPad: (n) => this.pad(n),
      Reshape: (n) => this.reshape(n),
      Squeeze: (n) => this.squeeze(n),
      ExpandDims: (n) => this.expandDims(n),
      Transpose: (n) => this.transpose(n),
      BatchMatMul: (n) => this.batchMatMul(n),
      BatchMatMulV2: (n) => this.batchMatMul(n),
      ResizeBilinear: (n) => this.resize(n),
      ResizeNearestNeighbor: (n) => this.resize(n),
      ClipByValue: (n) => this.clip(n),
      StridedSlice: (n) => this.stridedSlice(n),
      Slice: (n) => this.slice(n),
      Split: (n) => this.split(n),
      SplitV: (n) => this.split(n),
      Conv2DBackpropInput: (n) => this.convTranspose(n),
      Shape: (n: TfNode) => this.shape(n),
    }),
  );

  private other(n: TfNode): void {
    (this.structural.get(n.op) ?? ((m: TfNode) => this.unknown(m)))(n);
  }

  private placeholder(n: TfNode): void {
    const dtype = n.attrs.type('dtype') ?? 'DT_FLOAT';
    if (dtype !== 'DT_FLOAT') this.fail(n, `an input of ${dtype}: seprof profiles models of float inputs`);
    const shape = n.attrs.shape('shape');
    if (shape === undefined) this.fail(n, 'the input has no shape (unknown rank): seprof needs at least its rank');
    const nchw = shape.length === 4 ? TO_NCHW.map((a) => shape[a] ?? null) : shape;
    this.inputs.push({ name: n.name, dtype: DTYPE.float, shape: nchw });
    const channels = shape.length === 4 ? shape[3] : null;
    this.set(n.name, { name: n.name, rank: shape.length, ...(typeof channels === 'number' && { channels }) });
  }

  /** A fused op's activation node (`Relu6` as Clip to [0, 6], as the LayersModel reader writes relu6). */
  private activation(op: string, name: string, input: string, output: string, alpha: number, slope?: string): string {
    switch (op) {
      case 'Prelu':
        return this.emit('PRelu', name, [input, slope ?? ''], [], output);
      case 'Relu6':
        return this.emit(
          'Clip',
          name,
          [input],
          [
            ['min', float(0)],
            ['max', float(6)],
          ],
          output,
        );
      case 'LeakyRelu':
        return this.emit('LeakyRelu', name, [input], [['alpha', float(alpha)]], output);
      default:
        return this.emit(UNARY.get(op) ?? op, name, [input], [], output);
    }
  }

  /** Conv2D, the depthwise conv and MatMul, fused (the converter's `_FusedConv2D` ...) or not. */
  private fused(n: TfNode): void {
    const args = n.inputs.slice(2);
    const ops = n.attrs.strings('fused_ops') ?? [];
    if (args.length !== n.attrs.int('num_args', args.length)) this.fail(n, `num_args is ${n.attrs.int('num_args', 0)}, but it has ${args.length} extra inputs`);
    this.weighted(n, n.name, args, ops);
  }

  /**
   * A conv or MatMul node `n` with what follows it: a bias (or a batch norm's four tensors) in
   * `args`, an activation last; its output is named `output` (a BiasAdd's name when the bias
   * came from one). The conv takes the name the unfused graph gave it where the converter named
   * the fused node after its activation (`block/expand/Relu6` holds `block/expand/Conv2D`).
   */
  private weighted(n: TfNode, output: string, args: readonly string[], ops: readonly string[]): void {
    const [first, ...rest] = ops;
    const hasBias = first === 'BiasAdd';
    const hasNorm = first === 'FusedBatchNorm';
    const act = hasBias || hasNorm ? rest[0] : first;
    const extra = hasBias || hasNorm ? rest.slice(1) : rest;
    if ((first !== undefined && !hasBias && !hasNorm) || extra.length > 0 || (act !== undefined && !FUSED_ACTIVATIONS.has(act)))
      this.fail(n, `fused ops [${ops.join(', ')}] are not read (seprof reads a bias or batch norm, then one of ${[...FUSED_ACTIVATIONS].join(', ')})`);
    if (args.length !== (hasBias ? 1 : hasNorm ? 4 : 0) + (act === 'Prelu' ? 1 : 0))
      this.fail(n, `${args.length} extra inputs for fused ops [${ops.join(', ')}]`);
    const segments = output.split('/');
    const named = act !== undefined && (segments.at(-1) ?? '').replace(/_\d+$/, '') === act;
    const kind = CONVS.get(n.op) ?? 'matmul';
    const word = kind === 'conv' ? 'Conv2D' : kind === 'depthwise' ? 'depthwise' : 'MatMul';
    const main = named ? [...segments.slice(0, -1), word].join('/') : n.name;
    // The conv's own tensor, when something follows it; the last node's is `output`.
    const mainOut = act === undefined && !hasNorm ? output : main === output ? `${output}/${word}` : main;
    const bias = hasBias ? this.bias(n, args[0] ?? '') : [];
    const x = kind === 'matmul' ? this.matmul(n, main, mainOut, bias) : this.conv(n, kind, main, mainOut, bias);
    let last = mainOut;
    if (hasNorm) {
      const [scale, offset, mean, variance] = args.map((a) => this.weight(n, a, 'batch norm tensor')) as [string, string, string, string];
      last = this.emit(
        'BatchNormalization',
        `${main}/FusedBatchNorm`,
        [mainOut, scale, offset, mean, variance],
        [['epsilon', float(n.attrs.float('epsilon', 1e-4))]],
        act === undefined ? output : `${main}/normalised`,
      );
    }
    const slope = act === 'Prelu' ? this.slope(n, args.at(-1) ?? '', x.rank) : undefined;
    if (act !== undefined) last = this.activation(act, named ? output : `${output}/${act}`, last, output, n.attrs.float('leakyrelu_alpha', 0.2), slope);
    this.set(output, { ...x, name: last });
  }

  /** PReLU's learned slopes, laid out against the activation (`[C]` as C x 1 x 1 on a map). */
  private slope(n: TfNode, ref: string, rank: number): string {
    const c = this.constant(ref);
    if (c === undefined) this.fail(n, `its PReLU slopes '${ref}' are computed in the graph: seprof reads slopes that are constants`);
    return rank === 4 ? this.mapConstant(c) : this.initializer(c);
  }

  private weight(n: TfNode, ref: string, what: string): string {
    const c = this.constant(ref);
    if (c === undefined) this.fail(n, `its ${what} '${ref}' is computed in the graph: seprof reads weights that are constants`);
    return this.initializer(c);
  }

  private bias(n: TfNode, ref: string): string[] {
    const c = this.constant(ref);
    if (c === undefined || c.dims.length !== 1) this.fail(n, `its bias '${ref}' is not a constant of one value per channel`);
    return [this.initializer(c)];
  }

  /** A conv's NHWC input (at `at`) and its constant filter of rank 4, or the node refused. */
  private convOperands(n: TfNode, at: number): { x: Tensor; filter: Constant } {
    const a = n.attrs;
    if (a.string('data_format', 'NHWC') !== 'NHWC') this.fail(n, `data_format ${a.string('data_format', '')}: seprof reads NHWC graphs (as tfjs runs them)`);
    const x = this.value(n.inputs[at] ?? '', n);
    if (x.rank !== 4) this.fail(n, `its input has rank ${x.rank}, not an NHWC map`);
    const filter = this.constant(n.inputs[1] ?? '');
    if (filter === undefined || filter.dims.length !== 4) this.fail(n, 'its filter is not a constant of rank 4: seprof reads convs with weights');
    return { x, filter };
  }

  private conv(n: TfNode, kind: 'conv' | 'depthwise', name: string, output: string, bias: string[]): Tensor {
    const a = n.attrs;
    const { x, filter } = this.convOperands(n, 0);
    const [kh, kw, cin, k] = filter.dims as [number, number, number, number];
    // TensorFlow 2's grouped conv: a filter of C / groups input channels (the input's C known here).
    const groups = kind === 'conv' && x.channels !== undefined && x.channels !== cin ? x.channels / cin : 1;
    if (!Number.isInteger(groups) || k % groups !== 0)
      this.fail(n, `its filter takes ${cin} of the ${x.channels} input channels and makes ${k}: not a grouped conv (the groups must divide both)`);
    const w =
      kind === 'conv'
        ? this.initializer(filter, { suffix: '/oihw', dims: [k, cin, kh, kw], perm: [3, 2, 0, 1] })
        : this.initializer(filter, { suffix: '/oihw', dims: [cin * k, 1, kh, kw], perm: [2, 3, 0, 1] });
    const strides = this.spatial(n, 'strides');
    const dilations = this.spatial(n, 'dilations');
    const padding = a.string('padding', 'VALID');
    const attrs: [string, Attr][] = [
      ['kernel_shape', ints([kh, kw])],
      ['strides', ints(strides)],
      ['dilations', ints(dilations)],
      ['group', int(kind === 'depthwise' ? cin : groups)],
    ];
    if (padding === 'EXPLICIT') {
      const p = a.ints('explicit_paddings') ?? [];
      if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) this.fail(n, `explicit_paddings [${p.join(', ')}] do not pad H and W only`);
      attrs.push(['pads', ints([p[2], p[4], p[3], p[5]] as number[])]);
    } else if (padding === 'SAME' || padding === 'VALID') {
      // TensorFlow's SAME puts the odd pixel at the end: ONNX's SAME_UPPER.
      attrs.push(['auto_pad', str(padding === 'SAME' ? 'SAME_UPPER' : 'VALID')]);
    } else this.fail(n, `padding '${padding}' is not SAME, VALID or EXPLICIT`);
    this.emit('Conv', name, [x.name, w, ...bias], attrs, output);
    const pointwise = kh === 1 && kw === 1 && padding !== 'EXPLICIT';
    return { name: output, rank: 4, channels: kind === 'depthwise' ? cin * k : k, ...(pointwise && x.oneByOne && { oneByOne: true }) };
  }

  /** strides or dilations as [1, h, w, 1]: the H and W entries. */
  private spatial(n: TfNode, key: string): [number, number] {
    const v = n.attrs.ints(key) ?? [1, 1, 1, 1];
    if (v.length !== 4 || v[0] !== 1 || v[3] !== 1 || !v.every((s) => s >= 1)) this.fail(n, `${key} [${v.join(', ')}] are not [1, h, w, 1] of positive sizes`);
    return [v[1] as number, v[2] as number];
  }

  private matmul(n: TfNode, name: string, output: string, bias: string[]): Tensor {
    if (n.attrs.bool('transpose_a', false)) this.fail(n, 'transpose_a is set: seprof reads x @ W');
    const x = this.value(n.inputs[0] ?? '', n);
    if (x.rank !== 2) this.fail(n, `its input has rank ${x.rank}: TensorFlow's MatMul takes matrices`);
    const transposed = n.attrs.bool('transpose_b', false);
    const w = this.constant(n.inputs[1] ?? '');
    if (w !== undefined) {
      // Dense: Gemm by the weight (transB when the graph stores it [out, in]), as the LayersModel reader writes Dense.
      this.emit('Gemm', name, [x.name, this.initializer(w), ...bias], transposed ? [['transB', int(1)]] : [], output);
      return { name: output, rank: 2 };
    }
    let b = this.value(n.inputs[1] ?? '', n).name;
    if (transposed) b = this.emit('Transpose', `${name}/transpose_b`, [b], [['perm', ints([1, 0])]], `${name}/b_transposed`);
    if (bias.length > 0) {
      const product = this.emit('MatMul', name, [x.name, b], [], `${output}/product`);
      this.emit('Add', `${name}/bias`, [product, ...bias], [], output);
    } else this.emit('MatMul', name, [x.name, b], [], output);
    return { name: output, rank: 2 };
  }

  /**
   * An elementwise op. Operands broadcast from the right in TensorFlow: against a map, a
   * constant of lower rank is laid out as an N x C x H x W constant (a per-channel vector as
   * C x 1 x 1), an activation of lower rank is given the map's rank first.
   */
  private binary(n: TfNode, opType: string): void {
    const refs = n.inputs.slice(0, 2);
    if (refs.length !== 2) this.fail(n, `has ${refs.length} inputs; it takes 2`);
    const consts = refs.map((r) => this.constant(r));
    const ranks = refs.map((r, i) => consts[i]?.dims.length ?? this.value(r, n).rank);
    const rank = Math.max(...ranks);
    let oneByOne = rank === 4;
    let channels: number | undefined;
    const operands = refs.map((ref, i) => {
      const c = consts[i];
      if (rank !== 4) return this.value(ref, n).name;
      if (c !== undefined) {
        if (c.dims.slice(-3, -1).some((d) => d !== 1)) oneByOne = false;
        return this.mapConstant(c);
      }
      const t = this.value(ref, n);
      if (t.rank === 4) {
        if (t.oneByOne !== true) oneByOne = false;
        channels ??= t.channels;
        return t.name;
      }
      oneByOne = false;
      const axes = Array.from({ length: 4 - t.rank }, (_, k) => k);
      const unsqueezed = this.emit(
        'Unsqueeze',
        `${n.name}/operand${i}_rank4`,
        [t.name, this.intConstant(`${n.name}/operand${i}_axes`, axes)],
        [],
        `${n.name}/operand${i}_nhwc`,
      );
      return this.emit('Transpose', `${n.name}/operand${i}_to_nchw`, [unsqueezed], [['perm', ints(TO_NCHW)]], `${n.name}/operand${i}`);
    });
    this.emit(opType, n.name, operands);
    this.set(n.name, { name: n.name, rank, ...(oneByOne && { oneByOne: true }), ...(channels !== undefined && { channels }) });
  }

  /** A constant broadcast against a map, laid out NCHW: a per-channel vector as C x 1 x 1, a scalar as it is. */
  private mapConstant(c: Constant): string {
    if (c.dims.length === 0) return this.initializer(c);
    const padded = [...Array<number>(4 - c.dims.length).fill(1), ...c.dims];
    const dims = TO_NCHW.map((a) => padded[a] as number);
    const same = c.dims.length <= 1 || (padded[1] === 1 && padded[2] === 1) || padded[3] === 1;
    return this.initializer(c, { suffix: '/nchw', dims, ...(!same && { perm: TO_NCHW }) });
  }

  private axes(n: TfNode, slot: number, rank: number): number[] {
    const axes = this.values(n, slot, 'axes').map((a) => (a < 0 ? a + rank : a));
    if (!axes.every((a) => a >= 0 && a < rank)) this.fail(n, `axes [${axes.join(', ')}] are out of range for rank ${rank}`);
    return axes;
  }

  /** Mean over H and W is a global average pool, as Keras' GlobalAveragePooling2D; other reductions are ReduceMean and friends. */
  private reduce(n: TfNode, opType: string): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const axes = [...new Set(this.axes(n, 1, x.rank))].sort();
    const keep = n.attrs.bool('keep_dims', false);
    const rank = keep ? x.rank : x.rank - axes.length;
    if (x.rank === 4 && axes.join() === '1,2' && opType === 'ReduceMean') {
      if (keep) this.set(n.name, { ...x, name: this.emit('GlobalAveragePool', n.name, [x.name]), oneByOne: true });
      else {
        // The pooled N x C x 1 x 1 flattened: N x C in either order.
        const pooled = this.emit('GlobalAveragePool', n.name, [x.name], [], `${n.name}/pooled`);
        this.set(n.name, { name: this.emit('Flatten', `${n.name}/flatten`, [pooled], [], n.name), rank: 2 });
      }
    } else if (x.rank === 4 && keep) {
      const mapped = axes.map((a) => NCHW_AXIS[a] as number);
      this.emit(opType, n.name, [x.name, this.intConstant(`${n.name}/axes`, mapped)], [['keepdims', int(1)]]);
      this.set(n.name, { name: n.name, rank: 4, ...(axes.join() === '1,2' && { oneByOne: true }) });
    } else {
      const input = this.tfOrder(x, n.name);
      this.emit(opType, n.name, [input, this.intConstant(`${n.name}/axes`, axes)], [['keepdims', int(keep ? 1 : 0)]]);
      this.set(n.name, { name: n.name, rank });
    }
  }

  private pool(n: TfNode): void {
    if (n.attrs.string('data_format', 'NHWC') !== 'NHWC') this.fail(n, 'data_format is not NHWC: seprof reads NHWC graphs');
    const x = this.value(n.inputs[0] ?? '', n);
    if (x.rank !== 4) this.fail(n, `its input has rank ${x.rank}, not an NHWC map`);
    const padding = n.attrs.string('padding', 'VALID');
    if (padding !== 'SAME' && padding !== 'VALID') this.fail(n, `padding '${padding}' is not SAME or VALID`);
    // TensorFlow's SAME average leaves the padding out of each window's count: ONNX's count_include_pad 0.
    this.emit(
      n.op === 'AvgPool' ? 'AveragePool' : 'MaxPool',
      n.name,
      [x.name],
      [
        ['kernel_shape', ints(this.spatial(n, 'ksize'))],
        ['strides', ints(this.spatial(n, 'strides'))],
        ['auto_pad', str(padding === 'SAME' ? 'SAME_UPPER' : 'VALID')],
      ],
    );
    this.set(n.name, { ...x, name: n.name });
  }

  private batchNorm(n: TfNode): void {
    if (n.attrs.bool('is_training', false)) this.fail(n, 'is_training is set: seprof reads a batch norm in inference');
    if (n.attrs.string('data_format', 'NHWC') !== 'NHWC') this.fail(n, 'data_format is not NHWC: seprof reads NHWC graphs');
    const x = this.value(n.inputs[0] ?? '', n);
    if (x.rank !== 4) this.fail(n, `its input has rank ${x.rank}, not an NHWC map`);
    const tensors = [1, 2, 3, 4].map((i) => this.weight(n, n.inputs[i] ?? '', 'batch norm tensor'));
    this.emit('BatchNormalization', n.name, [x.name, ...tensors], [['epsilon', float(n.attrs.float('epsilon', 1e-4))]]);
    this.set(n.name, { ...x, name: n.name });
  }

  private concat(n: TfNode): void {
    // A constant map among the parts (a learned one) is laid out NCHW as the activations are.
    const parts = n.inputs.slice(0, -1).map((r): Tensor => {
      const c = this.constant(r);
      return c?.dims.length === 4 ? { name: this.mapConstant(c), rank: 4 } : this.value(r, n);
    });
    const rank = parts[0]?.rank ?? 0;
    if (parts.length === 0 || !parts.every((p) => p.rank === rank)) this.fail(n, 'its inputs are not of one rank');
    const [axis] = this.axes(n, n.inputs.length - 1, rank) as [number];
    const mapped = rank === 4 ? (NCHW_AXIS[axis] as number) : axis;
    const known = parts.every((p) => p.channels !== undefined);
    const channels = rank !== 4 || !known ? undefined : mapped === 1 ? parts.reduce((sum, p) => sum + (p.channels ?? 0), 0) : parts[0]?.channels;
    this.emit(
      'Concat',
      n.name,
      parts.map((p) => p.name),
      [['axis', int(mapped)]],
    );
    this.set(n.name, { name: n.name, rank, ...(channels !== undefined && { channels }) });
  }

  private pad(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const flat = this.values(n, 1, 'paddings');
    if (flat.length !== 2 * x.rank || flat.some((p) => p < 0)) this.fail(n, `paddings [${flat.join(', ')}] are not a begin and end per axis`);
    const axes = x.rank === 4 ? TO_NCHW : Array.from({ length: x.rank }, (_, i) => i);
    const pads = [...axes.map((a) => flat[2 * a] as number), ...axes.map((a) => flat[2 * a + 1] as number)];
    let mode = 'constant';
    if (n.op === 'MirrorPad') {
      const m = n.attrs.string('mode', 'REFLECT');
      if (m !== 'REFLECT') this.fail(n, `mode ${m}: seprof reads REFLECT mirror padding`);
      mode = 'reflect';
    }
    const inputs = [x.name, this.intConstant(`${n.name}/pads`, pads)];
    if (n.op === 'PadV2') inputs.push(this.value(n.inputs[2] ?? '', n).name);
    this.emit('Pad', n.name, inputs, [['mode', str(mode)]]);
    const channels = x.rank === 4 && flat[6] === 0 && flat[7] === 0 ? x.channels : undefined;
    this.set(n.name, { name: n.name, rank: x.rank, ...(channels !== undefined && { channels }) });
  }

  private reshape(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const target = this.plan.kerasTarget.get(n.name) ?? this.values(n, 1, 'shape');
    const rank = target.length;
    const toMap = rank === 4 && target[1] === 1 && target[2] === 1;
    // Both orders hold the same data: from a 1 x 1 map (or to one, from a vector), straight to the target.
    if ((x.rank !== 4 || x.oneByOne === true) && (rank !== 4 || toMap)) {
      const dims = rank === 4 ? TO_NCHW.map((a) => target[a] as number) : target;
      this.emit('Reshape', n.name, [x.name, this.intConstant(`${n.name}/shape`, dims)]);
      this.set(n.name, { name: n.name, rank, ...(toMap && { oneByOne: true }) });
    } else {
      const input = this.tfOrder(x, n.name);
      this.set(
        n.name,
        this.fromTfOrder(n.name, n.name, rank, (out) => this.emit('Reshape', n.name, [input, this.intConstant(`${n.name}/shape`, target)], [], out)),
      );
    }
  }

  private squeeze(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const dims = (n.attrs.ints('squeeze_dims') ?? n.attrs.ints('axis') ?? []).map((a) => (a < 0 ? a + x.rank : a));
    if (dims.length === 0) this.fail(n, 'squeeze_dims is empty: seprof reads a Squeeze of named axes');
    const rank = x.rank - new Set(dims).size;
    // A map squeezed over H and W is N x C in either order.
    const spatial = x.rank === 4 && [...dims].sort().join() === '1,2';
    const input = spatial ? x.name : this.tfOrder(x, n.name);
    const axes = spatial ? [2, 3] : dims;
    this.set(
      n.name,
      this.fromTfOrder(n.name, n.name, rank, (out) => this.emit('Squeeze', n.name, [input, this.intConstant(`${n.name}/axes`, axes)], [], out)),
    );
  }

  private expandDims(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const [axis] = this.axes(n, 1, x.rank + 1) as [number];
    const input = this.tfOrder(x, n.name);
    this.set(
      n.name,
      this.fromTfOrder(n.name, n.name, x.rank + 1, (out) => this.emit('Unsqueeze', n.name, [input, this.intConstant(`${n.name}/axes`, [axis])], [], out)),
    );
  }

  private transpose(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const perm = this.values(n, 1, 'perm');
    if (perm.length !== x.rank) this.fail(n, `perm [${perm.join(', ')}] does not permute rank ${x.rank}`);
    // NCHW in, NCHW out: into TensorFlow's order, the graph's perm, back; one Transpose.
    const composed = x.rank === 4 ? TO_NCHW.map((b) => TO_NHWC[perm[b] as number] as number) : perm;
    this.emit('Transpose', n.name, [x.name], [['perm', ints(composed)]]);
    this.set(n.name, { name: n.name, rank: x.rank });
  }

  private batchMatMul(n: TfNode): void {
    const [a, b] = [0, 1].map((i) => this.value(n.inputs[i] ?? '', n)) as [Tensor, Tensor];
    if (n.attrs.bool('adj_x', false) || n.attrs.bool('adj_y', false)) this.fail(n, 'adj_x or adj_y is set: seprof reads a @ b');
    const rank = Math.max(a.rank, b.rank);
    const inputs = [this.tfOrder(a, `${n.name}/a`), this.tfOrder(b, `${n.name}/b`)];
    this.set(
      n.name,
      this.fromTfOrder(n.name, n.name, rank, (out) => this.emit('MatMul', n.name, inputs, [], out)),
    );
  }

  /**
   * TensorFlow's resizes of H and W to a constant size: ONNX Resize of the `axes` H and W, the two
   * switches as ONNX's coordinate transformations (TensorFlow's nearest floors, or rounds half up
   * with align_corners; with half_pixel_centers it reads (x + 0.5) * in / out, ONNX's
   * tf_half_pixel_for_nn).
   */
  private resize(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    if (x.rank !== 4) this.fail(n, `its input has rank ${x.rank}, not an NHWC map`);
    // A size computed from shapes (`tf.shape(y)[1:3]`) is folded by shape inference.
    const computed = this.constant(n.inputs[1] ?? '') === undefined;
    const size = computed ? [] : this.values(n, 1, 'size');
    if (!computed && (size.length !== 2 || !size.every((d) => Number.isSafeInteger(d) && d >= 1)))
      this.fail(n, `size [${size.join(', ')}] is not [H, W] of positive sizes`);
    const align = n.attrs.bool('align_corners', false);
    const half = n.attrs.bool('half_pixel_centers', false);
    if (align && half) this.fail(n, 'align_corners and half_pixel_centers are both set, which TensorFlow refuses');
    const bilinear = n.op === 'ResizeBilinear';
    const coordinate = align ? 'align_corners' : !half ? 'asymmetric' : bilinear ? 'half_pixel' : 'tf_half_pixel_for_nn';
    const attrs: [string, Attr][] = [
      ['mode', str(bilinear ? 'linear' : 'nearest')],
      ['coordinate_transformation_mode', str(coordinate)],
      ['axes', ints([2, 3])],
    ];
    if (!bilinear) attrs.push(['nearest_mode', str(align ? 'round_prefer_ceil' : 'floor')]);
    const sizes = computed ? this.value(n.inputs[1] ?? '', n).name : this.intConstant(`${n.name}/sizes`, size);
    this.emit('Resize', n.name, [x.name, '', '', sizes], attrs);
    this.set(n.name, { ...x, name: n.name, oneByOne: size[0] === 1 && size[1] === 1 });
  }

  /** Shape, in TensorFlow's order: a map's NCHW shape gathered as N, H, W, C (shape inference folds it). */
  private shape(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    if (x.rank !== 4) this.emit('Shape', n.name, [x.name]);
    else {
      const nchw = this.emit('Shape', n.name, [x.name], [], `${n.name}/nchw`);
      this.emit('Gather', `${n.name}/nhwc`, [nchw, this.intConstant(`${n.name}/nhwc_axes`, TO_NHWC)], [['axis', int(0)]], n.name);
    }
    this.set(n.name, { name: n.name, rank: 1 });
  }

  /** ClipByValue to constant bounds: ONNX Clip (to [0, 6], relu6; other bounds have no op kind and are listed as not counted). */
  private clip(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const [min, max] = [1, 2].map((slot) => {
      const v = this.values(n, slot, slot === 1 ? 'minimum' : 'maximum');
      if (v.length !== 1) this.fail(n, `its bound (input ${slot}) has ${v.length} values: seprof reads one bound for every element`);
      return v[0] as number;
    }) as [number, number];
    this.emit(
      'Clip',
      n.name,
      [x.name],
      [
        ['min', float(min)],
        ['max', float(max)],
      ],
    );
    this.set(n.name, { ...x, name: n.name });
  }

  /**
   * A Slice of constant starts, ends, axes and steps: over the NCHW axes of a map (the executor
   * cuts the stored map), over TensorFlow's axes otherwise. `shrink` lists the TensorFlow axes
   * to drop after it (a Squeeze): of a map, it is sliced in TensorFlow's order first.
   */
  private sliced(n: TfNode, x: Tensor, range: { axes: number[]; starts: number[]; ends: number[]; steps: number[] }, shrink: number[]): void {
    const { axes } = range;
    const rank = x.rank - shrink.length;
    const nchw = x.rank === 4 && shrink.length === 0;
    const input = nchw ? x.name : this.tfOrder(x, n.name);
    const slice = (out: string): string =>
      this.emit(
        'Slice',
        n.name,
        [
          input,
          this.intConstant(`${n.name}/starts`, range.starts),
          this.intConstant(`${n.name}/ends`, range.ends),
          this.intConstant(`${n.name}/axes`, nchw ? axes.map((a) => NCHW_AXIS[a] as number) : axes),
          this.intConstant(`${n.name}/steps`, range.steps),
        ],
        [],
        out,
      );
    if (nchw) {
      slice(n.name);
      this.set(n.name, { name: n.name, rank: 4 });
    } else if (shrink.length === 0) this.set(n.name, { name: slice(n.name), rank });
    else {
      const cut = slice(`${n.name}/sliced`);
      this.set(
        n.name,
        this.fromTfOrder(n.name, n.name, rank, (out) =>
          this.emit('Squeeze', `${n.name}/shrink`, [cut, this.intConstant(`${n.name}/shrink_axes`, shrink)], [], out),
        ),
      );
    }
  }

  /**
   * StridedSlice of constant begin, end and strides: begin_mask and end_mask (from the start, to
   * the end), shrink_axis_mask (one index, the axis dropped), ellipsis_mask (`x[..., 0]`: the
   * entries after it are the last axes); new_axis_mask refused.
   */
  private stridedSlice(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const [begin, end, strides] = [1, 2, 3].map((slot) => this.values(n, slot, ['begin', 'end', 'strides'][slot - 1] as string)) as [
      number[],
      number[],
      number[],
    ];
    if (n.attrs.int('new_axis_mask', 0) !== 0) this.fail(n, 'new_axis_mask is set: seprof reads slices of begin, end and strides per axis');
    const [beginMask, endMask, shrinkMask, ellipsisMask] = ['begin_mask', 'end_mask', 'shrink_axis_mask', 'ellipsis_mask'].map((k) => n.attrs.int(k, 0));
    const bit = (mask: number, i: number): boolean => Math.floor(mask / 2 ** i) % 2 === 1;
    const ellipses = begin.flatMap((_, i) => (bit(ellipsisMask ?? 0, i) ? [i] : []));
    const [ellipsis] = ellipses;
    if (ellipses.length > 1) this.fail(n, 'ellipsis_mask marks more than one entry');
    const entries = begin.length - (ellipsis === undefined ? 0 : 1);
    if (begin.length !== end.length || begin.length !== strides.length || entries > x.rank)
      this.fail(n, `begin, end and strides of ${begin.length}, ${end.length} and ${strides.length} values for rank ${x.rank}`);
    if (strides.some((d) => d === 0)) this.fail(n, `strides [${strides.join(', ')}] hold a 0`);
    // Each entry's axis: in order, those after an ellipsis counted from the last axis.
    const spec = begin.flatMap((_, i) => (i === ellipsis ? [] : [i]));
    const axisOf = (i: number): number => (ellipsis === undefined || i < ellipsis ? i : x.rank - (begin.length - i));
    const far = Number.MAX_SAFE_INTEGER;
    const shrunk = (i: number): boolean => bit(shrinkMask ?? 0, i);
    const starts = spec.map((i) => (bit(beginMask ?? 0, i) && !shrunk(i) ? ((strides[i] as number) > 0 ? 0 : far) : (begin[i] as number)));
    const ends = spec.map((i) => {
      // One index: up to the next, or to the end for the last (-1).
      if (shrunk(i)) return begin[i] === -1 ? far : (begin[i] as number) + 1;
      return bit(endMask ?? 0, i) ? ((strides[i] as number) > 0 ? far : -far) : (end[i] as number);
    });
    if (spec.some((i) => shrunk(i) && strides[i] !== 1)) this.fail(n, 'shrink_axis_mask on an axis of stride other than 1');
    const shrink = spec.filter(shrunk).map(axisOf);
    this.sliced(n, x, { axes: spec.map(axisOf), starts, ends, steps: spec.map((i) => strides[i] as number) }, shrink);
  }

  /** Slice: a constant begin and size (-1: to the end) per axis. */
  private slice(n: TfNode): void {
    const x = this.value(n.inputs[0] ?? '', n);
    const [begin, size] = [this.values(n, 1, 'begin'), this.values(n, 2, 'size')];
    if (begin.length !== x.rank || size.length !== x.rank || begin.some((b) => b < 0) || size.some((d) => d < -1))
      this.fail(n, `begin [${begin.join(', ')}] and size [${size.join(', ')}] are not a start and a size (or -1) per axis of rank ${x.rank}`);
    const ends = size.map((d, i) => (d === -1 ? Number.MAX_SAFE_INTEGER : (begin[i] as number) + d));
    this.sliced(n, x, { axes: begin.map((_, i) => i), starts: begin, ends, steps: begin.map(() => 1) }, []);
  }

  /** Split (equal parts) and SplitV (constant sizes): ONNX Split, its outputs `name`, `name:1`, ... */
  private split(n: TfNode): void {
    const v = n.op === 'Split';
    const x = this.value(n.inputs[v ? 1 : 0] ?? '', n);
    const [axis] = this.axes(n, v ? 0 : 2, x.rank) as [number];
    const sizes = v ? undefined : this.values(n, 1, 'size_splits');
    const parts = sizes?.length ?? n.attrs.int('num_split', 0);
    if (parts < 1) this.fail(n, 'num_split is not a positive number of parts');
    if (sizes?.some((d) => d < 0)) this.fail(n, `size_splits [${sizes.join(', ')}] has a size left to be computed (-1): seprof reads sizes given in full`);
    const outputs = Array.from({ length: parts }, (_, k) => (k === 0 ? n.name : `${n.name}:${k}`));
    const inputs = sizes === undefined ? [x.name] : [x.name, this.intConstant(`${n.name}/split`, sizes)];
    const attrs: [string, Attr][] = [['axis', int(x.rank === 4 ? (NCHW_AXIS[axis] as number) : axis)]];
    if (sizes === undefined) attrs.push(['num_outputs', int(parts)]);
    this.nodes.push({ name: this.unique(layerName(n.name)), opType: 'Split', domain: '', inputs, outputs, attrs: new Map(attrs) });
    for (const out of outputs) this.set(out, { name: out, rank: x.rank });
    this.set(`${n.name}:0`, { name: n.name, rank: x.rank });
  }

  /**
   * Conv2DBackpropInput (Keras' Conv2DTranspose): ONNX ConvTranspose of the filter [kh, kw, out,
   * in] as [in, out, kh, kw], to the constant input_sizes (`output_shape`); SAME pads the forward
   * conv's way, the odd pixel at the end (SAME_UPPER), VALID pads nothing.
   */
  private convTranspose(n: TfNode): void {
    const a = n.attrs;
    const { x, filter } = this.convOperands(n, 2);
    const [kh, kw, out, cin] = filter.dims as [number, number, number, number];
    const sizes = this.values(n, 0, 'input_sizes');
    if (sizes.length !== 4 || sizes[3] !== out || !sizes.every((d) => Number.isSafeInteger(d) && d >= 1))
      this.fail(n, `input_sizes [${sizes.join(', ')}] are not N, H, W and the filter's ${out} channels`);
    const padding = a.string('padding', 'VALID');
    if (padding !== 'SAME' && padding !== 'VALID') this.fail(n, `padding '${padding}' is not SAME or VALID`);
    const w = this.initializer(filter, { suffix: '/iohw', dims: [cin, out, kh, kw], perm: [3, 2, 0, 1] });
    this.emit(
      'ConvTranspose',
      n.name,
      [x.name, w],
      [
        ['kernel_shape', ints([kh, kw])],
        ['strides', ints(this.spatial(n, 'strides'))],
        ['dilations', ints(this.spatial(n, 'dilations'))],
        ['output_shape', ints(sizes.slice(1, 3))],
        ['auto_pad', str(padding === 'SAME' ? 'SAME_UPPER' : 'VALID')],
      ],
    );
    this.set(n.name, { name: n.name, rank: 4, channels: out });
  }

  /** An op seprof does not read: kept under its TensorFlow name, to be listed as not counted (its output taken as its first input's shape). */
  private unknown(n: TfNode): void {
    const inputs = n.inputs.map((r) => this.value(r, n));
    const rank = inputs[0]?.rank;
    if (rank === undefined) this.fail(n, 'an op seprof does not read, with no input to take a shape from');
    this.emit(
      `tf.${n.op}`,
      n.name,
      inputs.map((t) => t.name),
      [],
      n.name,
      'tf',
    );
    this.set(n.name, { name: n.name, rank });
  }

  outputName(ref: string): string {
    const resolved = this.plan.resolve(ref);
    const t = this.tensors.get(resolved);
    if (t === undefined) throw new UsageError(`${this.path}: output '${ref}' is not computed from the graph's input`);
    return t.name;
  }
}

/** Nodes nobody reads (the outputs, when the converter wrote no signature). */
function sinks(nodes: readonly TfNode[]): string[] {
  const read = new Set(nodes.flatMap((n) => n.inputs.map(nodeOf)));
  return nodes.filter((n) => !read.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp' && n.op !== 'Placeholder').map((n) => n.name);
}

export function translate(
  nodes: readonly TfNode[],
  consts: ReadonlyMap<string, Constant>,
  signature: readonly string[] | undefined,
  path: string,
): Pick<Graph, 'nodes' | 'inputs' | 'outputs' | 'initializers'> {
  const plan = new Plan(nodes, consts);
  const outputs = signature ?? sinks(nodes);
  if (outputs.length === 0) throw new UsageError(`${path}: the graph has no outputs`);
  const t = new Translator(plan, consts, path);
  // Every input the file declares, read or not, so --input can name it.
  for (const n of nodes) if (n.op === 'Placeholder') t.run(n);
  for (const n of executionOrder(plan, outputs, path)) if (n.op !== 'Placeholder') t.run(n);
  return { nodes: t.nodes, inputs: t.inputs, outputs: outputs.map((o) => t.outputName(o)), initializers: t.initializers };
}
