// TensorFlow.js GraphModels written as tensorflowjs_converter writes them (no TensorFlow here):
// model.json with `format: graph-model`, the GraphDef as protobuf's JSON mapping (strings base64,
// int64 as decimal strings, `{"list": {"i": [...]}}`, `{"type": "DT_FLOAT"}`), the Consts first,
// every Const's bytes in group1-shard1of1.bin in manifest order, and the converter's fused ops
// (`_FusedConv2D` named after its last fused op, `FusedDepthwiseConv2dNative`, `_FusedMatMul`,
// fused_ops, num_args, explicit_paddings, use_cudnn_on_gpu, epsilon). Copied from real converted
// models (nsfwjs' mobilenet_v2_mid, tensorflowjs' own tests).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Attr = Record<string, unknown>;
interface Node {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: Record<string, Attr>;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const dims = (shape: readonly number[]): { dim: { size: string }[] } => ({ dim: shape.map((d) => ({ size: String(d) })) });
export const T: Attr = { type: 'DT_FLOAT' };
export const list = (...i: number[]): Attr => ({ list: { i: i.map(String) } });
export const s = (v: string): Attr => ({ s: b64(v) });
export const strings = (...v: string[]): Attr => ({ list: { s: v.map(b64) } });

/** Deterministic weights, varied enough that a wrong layout changes the outputs. */
const weightValues = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(seed * 7.31 + i * 1.7) * 0.4);

export class GraphModelWriter {
  private readonly consts: Node[] = [];
  private readonly ops: Node[] = [];
  private readonly weights: { name: string; shape: number[]; dtype: string; values: readonly number[] }[] = [];
  private seed = 1;
  signature: { inputs: string[]; outputs: string[] } = { inputs: [], outputs: [] };

  placeholder(name: string, shape: readonly number[]): string {
    this.ops.push({ name, op: 'Placeholder', attr: { shape: { shape: dims(shape) }, dtype: T } });
    this.signature.inputs.push(name);
    return name;
  }

  /** A Const whose bytes go to the shard: given values, or deterministic weights of its shape. */
  constant(name: string, shape: readonly number[], values?: readonly number[], dtype: 'float32' | 'int32' = 'float32'): string {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = values ?? weightValues(n, this.seed++);
    if (data.length !== n) throw new Error(`${name}: ${data.length} values for shape [${shape.join(', ')}]`);
    const type = dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT';
    this.consts.push({ name, op: 'Const', attr: { value: { tensor: { dtype: type, tensorShape: dims(shape) } }, dtype: { type } } });
    this.weights.push({ name, shape: [...shape], dtype, values: data });
    return name;
  }

  op(name: string, op: string, input: string[], attr: Record<string, Attr> = {}): string {
    this.ops.push({ name, op, input, attr: { T, ...attr } });
    return name;
  }

  /** `_FusedConv2D` (or the depthwise one) with a bias and an optional activation, named after its last fused op as the converter names it. */
  fusedConv(
    scope: string,
    x: string,
    kernel: readonly number[],
    options: { depthwise?: boolean; activation?: string; strides?: number; padding?: 'SAME' | 'VALID' } = {},
  ): string {
    const weights = this.constant(`${scope}/Conv2D_weights`, kernel);
    const out = options.depthwise ? (kernel[2] as number) * (kernel[3] as number) : (kernel[3] as number);
    const bias = this.constant(`${scope}/Conv2D_bn_offset`, [out]);
    const name = `${scope}/${options.activation ?? 'BiasAdd'}`;
    const stride = options.strides ?? 1;
    const common = {
      dilations: list(1, 1, 1, 1),
      data_format: s('NHWC'),
      strides: list(1, stride, stride, 1),
      num_args: { i: '1' },
      padding: s(options.padding ?? 'SAME'),
      fused_ops: strings('BiasAdd', ...(options.activation === undefined ? [] : [options.activation])),
    };
    const attr = options.depthwise ? common : { ...common, use_cudnn_on_gpu: { b: true }, explicit_paddings: { list: {} }, epsilon: { f: 0 } };
    this.ops.push({
      name,
      op: options.depthwise ? 'FusedDepthwiseConv2dNative' : '_FusedConv2D',
      input: [x, weights, bias],
      device: '/device:CPU:0',
      attr: { T, ...attr },
    });
    return name;
  }

  /** model.json and its one shard, as the converter writes them; float weights quantized as --quantize_uint8 or _uint16 does. */
  files(quantize?: 'uint8' | 'uint16'): { json: Record<string, unknown>; shard: Buffer } {
    const levels = quantize === 'uint8' ? 255 : 65535;
    const encoded = this.weights.map(({ values, dtype, ...w }) => {
      if (quantize === undefined || dtype === 'int32') {
        const bytes = Buffer.alloc(4 * values.length);
        values.forEach((v, i) => (dtype === 'int32' ? bytes.writeInt32LE(v, 4 * i) : bytes.writeFloatLE(v, 4 * i)));
        return { spec: { ...w, dtype }, bytes };
      }
      const min = Math.min(...values);
      const scale = (Math.max(...values) - min) / levels || 1;
      const bytes = Buffer.alloc((quantize === 'uint8' ? 1 : 2) * values.length);
      values.forEach((v, i) => {
        const q = Math.round((v - min) / scale);
        if (quantize === 'uint8') bytes.writeUInt8(q, i);
        else bytes.writeUInt16LE(q, 2 * i);
      });
      return { spec: { ...w, dtype, quantization: { dtype: quantize, min, scale } }, bytes };
    });
    const shape = (name: string): unknown => (this.ops.find((n) => n.name === name)?.attr?.['shape'] as { shape: unknown } | undefined)?.shape;
    const tensor = (name: string): Record<string, unknown> => ({ name: `${name}:0`, dtype: 'DT_FLOAT', tensorShape: shape(name) });
    const json = {
      format: 'graph-model',
      generatedBy: '2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      signature: {
        inputs: Object.fromEntries(this.signature.inputs.map((n) => [`${n}:0`, tensor(n)])),
        outputs: Object.fromEntries(this.signature.outputs.map((n, i) => [`output_${i}`, { name: `${n}:0`, dtype: 'DT_FLOAT' }])),
      },
      modelTopology: { node: [...this.consts, ...this.ops], library: {}, versions: { producer: 1645 } },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: encoded.map((e) => e.spec) }],
    };
    return { json, shard: Buffer.concat(encoded.map((e) => e.bytes)) };
  }

  write(dir: string, quantize?: 'uint8' | 'uint16'): string {
    mkdirSync(dir, { recursive: true });
    const { json, shard } = this.files(quantize);
    writeFileSync(join(dir, 'group1-shard1of1.bin'), shard);
    writeFileSync(join(dir, 'model.json'), `${JSON.stringify(json)}\n`);
    return join(dir, 'model.json');
  }
}

/**
 * A MobileNetV3-style inverted residual with SE, as the converter writes a Keras model: 1x1
 * expand (BiasAdd, Relu fused), 3x3 depthwise (BiasAdd, Relu6), SE (Mean over H and W kept, two
 * 1x1 convs, the spelled-out hard sigmoid relu6(x + 3) * (1/6), Mul), a 1x1 project left unfused
 * (Conv2D then BiasAdd), the residual AddV2, and a head (Mean, _FusedMatMul, Softmax, Identity).
 * Input 1 x 16 x 16 x 8, expand 32, SE hidden 8, 10 classes.
 */
export function seMobileNetBlock(): GraphModelWriter {
  const g = new GraphModelWriter();
  const x = g.placeholder('input', [-1, 16, 16, 8]);
  const expand = g.fusedConv('model/expand', x, [1, 1, 8, 32], { activation: 'Relu' });
  const dw = g.fusedConv('model/depthwise', expand, [3, 3, 32, 1], { depthwise: true, activation: 'Relu6' });
  const axes = g.constant('model/se/Mean/reduction_indices', [2], [1, 2], 'int32');
  const pooled = g.op('model/se/Mean', 'Mean', [dw, axes], { Tidx: { type: 'DT_INT32' }, keep_dims: { b: true } });
  const fc1 = g.fusedConv('model/se/conv1', pooled, [1, 1, 32, 8], { activation: 'Relu' });
  const fc2 = g.fusedConv('model/se/conv2', fc1, [1, 1, 8, 32]);
  const three = g.constant('model/se/add/y', [], [3]);
  const added = g.op('model/se/add', 'AddV2', [fc2, three]);
  const relu6 = g.op('model/se/Relu6', 'Relu6', [added]);
  const sixth = g.constant('model/se/mul/y', [], [1 / 6]);
  const gate = g.op('model/se/mul', 'Mul', [relu6, sixth]);
  const scaled = g.op('model/se/multiply/mul', 'Mul', [dw, gate]);
  const projectW = g.constant('model/project/Conv2D/ReadVariableOp', [1, 1, 32, 8]);
  const project = g.op('model/project/Conv2D', 'Conv2D', [scaled, projectW], convAttrs(1, 'SAME'));
  const projectB = g.constant('model/project/BiasAdd/ReadVariableOp', [8]);
  const biased = g.op('model/project/BiasAdd', 'BiasAdd', [project, projectB], { data_format: s('NHWC') });
  const residual = g.op('model/add/add', 'AddV2', [x, biased]);
  const headAxes = g.constant('model/pool/Mean/reduction_indices', [2], [1, 2], 'int32');
  const head = g.op('model/pool/Mean', 'Mean', [residual, headAxes], { Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } });
  const denseW = g.constant('model/dense/MatMul/ReadVariableOp', [8, 10]);
  const denseB = g.constant('model/dense/BiasAdd/ReadVariableOp', [10]);
  const dense = g.op('model/dense/BiasAdd', '_FusedMatMul', [head, denseW, denseB], {
    transpose_a: { b: false },
    transpose_b: { b: false },
    num_args: { i: '1' },
    epsilon: { f: 0 },
    fused_ops: strings('BiasAdd'),
  });
  const softmax = g.op('model/dense/Softmax', 'Softmax', [dense]);
  g.op('Identity', 'Identity', [softmax]);
  g.signature.outputs.push('Identity');
  return g;
}

const convAttrs = (stride: number, padding: 'SAME' | 'VALID'): Record<string, Attr> => ({
  data_format: s('NHWC'),
  strides: list(1, stride, stride, 1),
  dilations: list(1, 1, 1, 1),
  padding: s(padding),
  explicit_paddings: { list: {} },
  use_cudnn_on_gpu: { b: true },
});

/**
 * The other ops a converted model holds, unfused: Pad, a strided VALID Conv2D without bias,
 * FusedBatchNormV3, MaxPool, a DepthwiseConv2dNative with its BiasAdd, Relu6, ConcatV2 on the
 * last axis, a Dense SE (Mean not kept, MatMul + BiasAdd, Relu, _FusedMatMul with a fused
 * Sigmoid, Reshape to 1 x 1 x C, Mul), AvgPool, a Reshape that flattens a 3 x 3 map (the NHWC
 * order), and a MatMul without bias. Input 1 x 12 x 12 x 3.
 */
export function opsTour(): GraphModelWriter {
  const g = new GraphModelWriter();
  const x = g.placeholder('image', [-1, 12, 12, 3]);
  const paddings = g.constant('tour/pad/paddings', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0], 'int32');
  const padded = g.op('tour/pad/Pad', 'Pad', [x, paddings], { Tpaddings: { type: 'DT_INT32' } });
  const convW = g.constant('tour/conv/Conv2D/ReadVariableOp', [3, 3, 3, 16]);
  const conv = g.op('tour/conv/Conv2D', 'Conv2D', [padded, convW], convAttrs(2, 'VALID'));
  const bnArgs = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((k, i) =>
    g.constant(
      `tour/bn/${k}/ReadVariableOp`,
      [16],
      Array.from({ length: 16 }, (_, c) => (i === 3 ? 0.5 + (c % 5) * 0.1 : Math.cos(c + i) * 0.3)),
    ),
  );
  const bn = g.op('tour/bn/FusedBatchNormV3', 'FusedBatchNormV3', [conv, ...bnArgs], {
    U: { type: 'DT_FLOAT' },
    epsilon: { f: 0.001 },
    data_format: s('NHWC'),
    is_training: { b: false },
    exponential_avg_factor: { f: 1 },
  });
  const relu = g.op('tour/relu/Relu', 'Relu', [bn]);
  const pooled = g.op('tour/maxpool/MaxPool', 'MaxPool', [relu], {
    ksize: list(1, 3, 3, 1),
    strides: list(1, 1, 1, 1),
    padding: s('SAME'),
    data_format: s('NHWC'),
  });
  const dwW = g.constant('tour/dw/depthwise/ReadVariableOp', [3, 3, 16, 1]);
  const dw = g.op('tour/dw/depthwise', 'DepthwiseConv2dNative', [relu, dwW], {
    data_format: s('NHWC'),
    strides: list(1, 1, 1, 1),
    dilations: list(1, 1, 1, 1),
    padding: s('SAME'),
    explicit_paddings: { list: {} },
  });
  const dwB = g.constant('tour/dw/BiasAdd/ReadVariableOp', [16]);
  const dwBiased = g.op('tour/dw/BiasAdd', 'BiasAdd', [dw, dwB], { data_format: s('NHWC') });
  const dwAct = g.op('tour/dw/Relu6', 'Relu6', [dwBiased]);
  const axis = g.constant('tour/concat/axis', [], [-1], 'int32');
  const cat = g.op('tour/concat/concat', 'ConcatV2', [pooled, dwAct, axis], { N: { i: '2' }, Tidx: { type: 'DT_INT32' } });
  const meanAxes = g.constant('tour/se/Mean/reduction_indices', [2], [1, 2], 'int32');
  const squeezed = g.op('tour/se/Mean', 'Mean', [cat, meanAxes], { Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } });
  const fc1W = g.constant('tour/se/fc1/MatMul/ReadVariableOp', [32, 8]);
  const fc1 = g.op('tour/se/fc1/MatMul', 'MatMul', [squeezed, fc1W], { transpose_a: { b: false }, transpose_b: { b: false } });
  const fc1B = g.constant('tour/se/fc1/BiasAdd/ReadVariableOp', [8]);
  const fc1Biased = g.op('tour/se/fc1/BiasAdd', 'BiasAdd', [fc1, fc1B], { data_format: s('NHWC') });
  const fc1Act = g.op('tour/se/fc1/Relu', 'Relu', [fc1Biased]);
  const fc2W = g.constant('tour/se/fc2/MatMul/ReadVariableOp', [8, 32]);
  const fc2B = g.constant('tour/se/fc2/BiasAdd/ReadVariableOp', [32]);
  const fc2 = g.op('tour/se/fc2/Sigmoid', '_FusedMatMul', [fc1Act, fc2W, fc2B], {
    transpose_a: { b: false },
    transpose_b: { b: false },
    num_args: { i: '1' },
    epsilon: { f: 0 },
    fused_ops: strings('BiasAdd', 'Sigmoid'),
  });
  const shape = g.constant('tour/se/reshape/shape', [4], [-1, 1, 1, 32], 'int32');
  const gate = g.op('tour/se/reshape/Reshape', 'Reshape', [fc2, shape], { Tshape: { type: 'DT_INT32' } });
  const scaled = g.op('tour/se/multiply/mul', 'Mul', [cat, gate]);
  const avg = g.op('tour/avgpool/AvgPool', 'AvgPool', [scaled], {
    ksize: list(1, 2, 2, 1),
    strides: list(1, 2, 2, 1),
    padding: s('VALID'),
    data_format: s('NHWC'),
  });
  const flatShape = g.constant('tour/flatten/Const', [2], [-1, 288], 'int32');
  const flat = g.op('tour/flatten/Reshape', 'Reshape', [avg, flatShape], { Tshape: { type: 'DT_INT32' } });
  const outW = g.constant('tour/logits/MatMul/ReadVariableOp', [288, 5]);
  const logits = g.op('tour/logits/MatMul', 'MatMul', [flat, outW], { transpose_a: { b: false }, transpose_b: { b: false } });
  g.op('Identity', 'Identity', [logits]);
  g.signature.outputs.push('Identity');
  return g;
}

/** Zero-filled weight shards for a model.json in `dir`, of the sizes its manifest lists (4 MiB shards, as the converter splits them). */
export function writeZeroShards(dir: string): void {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[]; weights: { shape: number[]; dtype: string; quantization?: { dtype: string } }[] }[];
  };
  const bytes: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };
  for (const group of json.weightsManifest) {
    let total = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (bytes[w.quantization?.dtype ?? w.dtype] ?? 4), 0);
    for (const path of group.paths) {
      const size = Math.min(total, 4 * 1024 * 1024);
      writeFileSync(join(dir, path), Buffer.alloc(size));
      total -= size;
    }
  }
}

/** Keras' Reshape with an open batch, as TF 2 traces it: Reshape(x, Pack(StridedSlice(Shape(x), [0], [1]), ...target)). */
function kerasReshape(g: GraphModelWriter, scope: string, x: string, target: readonly number[]): string {
  const shape = g.op(`${scope}/Shape`, 'Shape', [x], { out_type: { type: 'DT_INT32' } });
  const [begin, end, step] = [0, 1, 1].map((v, i) => g.constant(`${scope}/strided_slice/stack${i === 0 ? '' : `_${i}`}`, [1], [v], 'int32')) as [
    string,
    string,
    string,
  ];
  const batch = g.op(`${scope}/strided_slice`, 'StridedSlice', [shape, begin, end, step], {
    Index: { type: 'DT_INT32' },
    T: { type: 'DT_INT32' },
    begin_mask: { i: '0' },
    end_mask: { i: '0' },
    ellipsis_mask: { i: '0' },
    new_axis_mask: { i: '0' },
    shrink_axis_mask: { i: '1' },
  });
  const dims = target.map((d, i) => g.constant(`${scope}/Reshape/shape/${i + 1}`, [], [d], 'int32'));
  const packed = g.op(`${scope}/Reshape/shape`, 'Pack', [batch, ...dims], { T: { type: 'DT_INT32' }, N: { i: String(dims.length + 1) }, axis: { i: '0' } });
  return g.op(`${scope}/Reshape`, 'Reshape', [x, packed], { Tshape: { type: 'DT_INT32' } });
}

/**
 * Keras' Reshape and Flatten with an open batch (Shape, StridedSlice, Pack, Reshape), as TF 2
 * traces a Keras model: a conv, a Dense SE whose gate is reshaped to 1 x 1 x C so, the product
 * flattened so, and a Dense. Input 1 x 5 x 5 x 4.
 */
export function kerasReshapes(): GraphModelWriter {
  const g = new GraphModelWriter();
  const x = g.placeholder('x', [-1, 5, 5, 4]);
  const w = g.constant('keras/conv/Conv2D/ReadVariableOp', [3, 3, 4, 6]);
  const conv = g.op('keras/conv/Conv2D', 'Conv2D', [x, w], convAttrs(1, 'VALID'));
  const axes = g.constant('keras/se/pool/Mean/reduction_indices', [2], [1, 2], 'int32');
  const pooled = g.op('keras/se/pool/Mean', 'Mean', [conv, axes], { Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } });
  const dense = (name: string, input: string, units: readonly [number, number], activation?: string): string => {
    const kernel = g.constant(`keras/se/${name}/MatMul/ReadVariableOp`, units);
    const product = g.op(`keras/se/${name}/MatMul`, 'MatMul', [input, kernel], { transpose_a: { b: false }, transpose_b: { b: false } });
    const bias = g.constant(`keras/se/${name}/BiasAdd/ReadVariableOp`, [units[1]]);
    const biased = g.op(`keras/se/${name}/BiasAdd`, 'BiasAdd', [product, bias], { data_format: s('NHWC') });
    return activation === undefined ? biased : g.op(`keras/se/${name}/${activation}`, activation, [biased]);
  };
  const gate = dense('fc2', dense('fc1', pooled, [6, 2], 'Relu'), [2, 6], 'Sigmoid');
  const reshaped = kerasReshape(g, 'keras/se/reshape', gate, [1, 1, 6]);
  const scaled = g.op('keras/se/multiply/mul', 'Mul', [conv, reshaped]);
  const flat = kerasReshape(g, 'keras/flatten', scaled, [-1]);
  const logits = g.constant('keras/logits/MatMul/ReadVariableOp', [54, 3]);
  g.op('keras/logits/MatMul', 'MatMul', [flat, logits], { transpose_a: { b: false }, transpose_b: { b: false } });
  g.signature.outputs.push('keras/logits/MatMul');
  return g;
}

/**
 * Ops whose axes the NCHW translation renumbers, each against tfjs-converter: Transpose of a map,
 * Mean over C (the map becomes rank 3) and over H kept, ExpandDims back to a map, Mul by it,
 * Squeeze, BatchMatMulV2 of rank 3 and of rank 4, Softmax of rank 3 and of a map, MirrorPad,
 * ConcatV2 on C, Max over H and W. Input 1 x 4 x 6 x 8; several outputs.
 */
export function axesTour(): GraphModelWriter {
  const g = new GraphModelWriter();
  const i32 = (name: string, values: number[], shape = [values.length]): string => g.constant(name, shape, values, 'int32');
  const x = g.placeholder('x', [-1, 4, 6, 8]);
  const swapped = g.op('axes/swap', 'Transpose', [x, i32('axes/swap/perm', [0, 2, 1, 3])], { Tperm: { type: 'DT_INT32' } });
  const channelMean = g.op('axes/channel_mean', 'Mean', [swapped, i32('axes/channel_mean/axes', [3])], { keep_dims: { b: false } });
  const expanded = g.op('axes/expand', 'ExpandDims', [channelMean, i32('axes/expand/dim', [-1], [])], { Tdim: { type: 'DT_INT32' } });
  const scaled = g.op('axes/scale', 'Mul', [swapped, expanded]);
  const rowMean = g.op('axes/row_mean', 'Mean', [scaled, i32('axes/row_mean/axes', [1])], { keep_dims: { b: true } });
  const squeezed = g.op('axes/squeeze', 'Squeeze', [rowMean], { squeeze_dims: list(1) });
  const flipped = g.op('axes/flip', 'Transpose', [squeezed, i32('axes/flip/perm', [0, 2, 1])], { Tperm: { type: 'DT_INT32' } });
  const gram = g.op('axes/gram', 'BatchMatMulV2', [squeezed, flipped], { adj_x: { b: false }, adj_y: { b: false } });
  const attention = g.op('axes/attention', 'Softmax', [gram]);
  const keys = g.op('axes/keys', 'Transpose', [swapped, i32('axes/keys/perm', [0, 1, 3, 2])], { Tperm: { type: 'DT_INT32' } });
  const maps = g.op('axes/maps', 'BatchMatMulV2', [swapped, keys], { adj_x: { b: false }, adj_y: { b: false } });
  const mirrored = g.op('axes/mirror', 'MirrorPad', [x, i32('axes/mirror/paddings', [0, 0, 1, 1, 2, 2, 0, 0], [4, 2])], {
    mode: s('REFLECT'),
    Tpaddings: { type: 'DT_INT32' },
  });
  const doubled = g.op('axes/concat', 'ConcatV2', [x, x, i32('axes/concat/axis', [3], [])], { N: { i: '2' }, Tidx: { type: 'DT_INT32' } });
  const channelSoftmax = g.op('axes/channel_softmax', 'Softmax', [doubled]);
  const peak = g.op('axes/peak', 'Max', [x, i32('axes/peak/axes', [1, 2])], { keep_dims: { b: true } });
  g.signature.outputs.push(attention, maps, mirrored, channelSoftmax, peak);
  return g;
}

const i32 = (g: GraphModelWriter, name: string, values: number[], shape = [values.length]): string => g.constant(name, shape, values, 'int32');
const resizeAttrs = (align: boolean, half: boolean): Record<string, Attr> => ({ align_corners: { b: align }, half_pixel_centers: { b: half } });
const sliceMasks = (masks: Partial<Record<'begin' | 'end' | 'ellipsis' | 'new_axis' | 'shrink_axis', number>>): Record<string, Attr> =>
  Object.fromEntries(['begin', 'end', 'ellipsis', 'new_axis', 'shrink_axis'].map((k) => [`${k}_mask`, { i: String(masks[k as keyof typeof masks] ?? 0) }]));

/**
 * What segmentation and detection GraphModels hold beside convs: ResizeBilinear and
 * ResizeNearestNeighbor in each of TensorFlow's coordinate modes (to an even 2x and to an odd
 * 9 x 11), ClipByValue to [0, 6], StridedSlice (begin and end masks on a map; shrink_axis_mask
 * to rank 3; an ellipsis), Slice, Split on C, SplitV on H, and Conv2DBackpropInput (3 x 3 stride 2 SAME, the
 * odd pad at the end; 2 x 2 stride 2 VALID), and a resize to a size computed from a shape
 * (StridedSlice of Shape). Input 1 x 6 x 8 x 4; several outputs.
 */
export function resizeSliceTour(): GraphModelWriter {
  const g = new GraphModelWriter();
  const x = g.placeholder('x', [-1, 6, 8, 4]);
  const outputs: string[] = [];
  const modes: [string, boolean, boolean][] = [
    ['asymmetric', false, false],
    ['half_pixel', false, true],
    ['align_corners', true, false],
  ];
  for (const op of ['ResizeBilinear', 'ResizeNearestNeighbor'])
    for (const [mode, align, half] of modes)
      for (const [h, w] of [
        [12, 16],
        [9, 11],
      ] as const) {
        const name = `up/${op}/${mode}/${h}x${w}`;
        outputs.push(g.op(name, op, [x, i32(g, `${name}/size`, [h, w])], resizeAttrs(align, half)));
      }
  outputs.push(g.op('clip/relu6', 'ClipByValue', [x, g.constant('clip/relu6/min', [], [0]), g.constant('clip/relu6/max', [], [6])]));
  const cut = (name: string, input: string, begin: number[], end: number[], strides: number[], masks: Parameters<typeof sliceMasks>[0]): string =>
    g.op(name, 'StridedSlice', [input, i32(g, `${name}/begin`, begin), i32(g, `${name}/end`, end), i32(g, `${name}/strides`, strides)], {
      Index: { type: 'DT_INT32' },
      ...sliceMasks(masks),
    });
  // x[:, 1:5, :, 2:]
  outputs.push(cut('slice/map', x, [0, 1, 0, 2], [0, 5, 0, 0], [1, 1, 1, 1], { begin: 0b0101, end: 0b1101 }));
  // x[:, 2] (rank 3: W x C), then its rows [1:-1] of a rank-3 tensor
  const row = cut('slice/row', x, [0, 2], [0, 3], [1, 1], { begin: 1, end: 1, shrink_axis: 2 });
  outputs.push(cut('slice/row_inner', row, [0, 1], [0, -1], [1, 1], { begin: 1, end: 1 }));
  // x[:, :, :, -1]: the last index, the axis dropped; x[..., -1] and x[..., 1:3] through an ellipsis
  outputs.push(cut('slice/last_channel', x, [0, 0, 0, -1], [0, 0, 0, 0], [1, 1, 1, 1], { begin: 7, end: 7, shrink_axis: 8 }));
  outputs.push(cut('slice/ellipsis_last', x, [0, -1], [0, 0], [1, 1], { ellipsis: 1, shrink_axis: 2 }));
  outputs.push(cut('slice/ellipsis_channels', x, [0, 1], [0, 3], [1, 1], { ellipsis: 1 }));
  outputs.push(
    g.op('slice/window', 'Slice', [x, i32(g, 'slice/window/begin', [0, 1, 2, 0]), i32(g, 'slice/window/size', [-1, 3, 4, -1])], {
      Index: { type: 'DT_INT32' },
    }),
  );
  const halves = g.op('split/channels', 'Split', [i32(g, 'split/channels/axis', [3], []), x], { num_split: { i: '2' } });
  const rows = g.op('split/rows', 'SplitV', [x, i32(g, 'split/rows/sizes', [2, 4]), i32(g, 'split/rows/axis', [1], [])], {
    num_split: { i: '2' },
    Tlen: { type: 'DT_INT32' },
  });
  outputs.push(g.op('split/sum', 'AddV2', [halves, `${halves}:1`]), `${rows}:1`, rows);
  const transposed = (name: string, kernel: number, out: number, size: [number, number], padding: 'SAME' | 'VALID'): string =>
    g.op(
      name,
      'Conv2DBackpropInput',
      [i32(g, `${name}/input_sizes`, [1, ...size, out]), g.constant(`${name}/filter`, [kernel, kernel, out, 4]), x],
      convAttrs(2, padding),
    );
  const valid = transposed('deconv/valid', 2, 3, [12, 16], 'VALID');
  outputs.push(transposed('deconv/same', 3, 5, [12, 16], 'SAME'), valid);
  // Back to x's H and W, the size computed from its shape: tf.shape(x)[1:3].
  const hw = cut('like_x/size', g.op('like_x/shape', 'Shape', [x], { out_type: { type: 'DT_INT32' } }), [1], [3], [1], {});
  outputs.push(g.op('like_x/resize', 'ResizeBilinear', [valid, hw], resizeAttrs(false, true)));
  g.signature.outputs.push(...outputs);
  return g;
}

/**
 * A small segmentation head: Conv2D 3 x 3 SAME 4 -> 8, ClipByValue to [0, 6], ResizeBilinear to
 * 16 x 16 (half-pixel), Conv2DBackpropInput 3 x 3 stride 2 SAME 8 -> 2 to 32 x 32,
 * ResizeNearestNeighbor to 64 x 64, a StridedSlice crop [2:62, 2:62], Split on C.
 * Input 1 x 8 x 8 x 4.
 */
export function segmentationHead(): GraphModelWriter {
  const g = new GraphModelWriter();
  const x = g.placeholder('image', [-1, 8, 8, 4]);
  const conv = g.op('seg/conv/Conv2D', 'Conv2D', [x, g.constant('seg/conv/Conv2D/ReadVariableOp', [3, 3, 4, 8])], convAttrs(1, 'SAME'));
  const relu6 = g.op('seg/relu6', 'ClipByValue', [conv, g.constant('seg/relu6/min', [], [0]), g.constant('seg/relu6/max', [], [6])]);
  const up = g.op('seg/up', 'ResizeBilinear', [relu6, i32(g, 'seg/up/size', [16, 16])], resizeAttrs(false, true));
  const deconv = g.op(
    'seg/deconv',
    'Conv2DBackpropInput',
    [i32(g, 'seg/deconv/input_sizes', [1, 32, 32, 2]), g.constant('seg/deconv/ReadVariableOp', [3, 3, 2, 8]), up],
    convAttrs(2, 'SAME'),
  );
  const nearest = g.op('seg/nearest', 'ResizeNearestNeighbor', [deconv, i32(g, 'seg/nearest/size', [64, 64])], resizeAttrs(false, false));
  const crop = g.op(
    'seg/crop',
    'StridedSlice',
    [nearest, i32(g, 'seg/crop/begin', [0, 2, 2, 0]), i32(g, 'seg/crop/end', [0, 62, 62, 0]), i32(g, 'seg/crop/strides', [1, 1, 1, 1])],
    {
      Index: { type: 'DT_INT32' },
      ...sliceMasks({ begin: 9, end: 9 }),
    },
  );
  const parts = g.op('seg/split', 'Split', [i32(g, 'seg/split/axis', [-1], []), crop], { num_split: { i: '2' } });
  g.signature.outputs.push(`${parts}:1`);
  return g;
}

/**
 * TensorFlow 2's grouped Conv2D: 8 channels in, a 3 x 3 filter of 2 input channels and 12
 * outputs (4 groups), SAME, then ReLU. Input 1 x 6 x 6 x 8.
 */
export function groupedConv(filterIn = 2): GraphModelWriter {
  const g = new GraphModelWriter();
  const x = g.placeholder('x', [-1, 6, 6, 8]);
  const conv = g.op('grouped/Conv2D', 'Conv2D', [x, g.constant('grouped/Conv2D/ReadVariableOp', [3, 3, filterIn, 12])], convAttrs(1, 'SAME'));
  g.signature.outputs.push(g.op('grouped/Relu', 'Relu', [conv]));
  return g;
}

/**
 * An SE block gated by Keras' older hard_sigmoid, clip(0.2 x + 0.5, 0, 1) spelled out: Mul,
 * AddV2, then ClipByValue (or Minimum and Maximum, as TF 2's clip_by_value traces). Input
 * 1 x 4 x 4 x 8, hidden 2.
 */
export function kerasHardSigmoidSe(clip: 'ClipByValue' | 'MinMax' = 'ClipByValue'): GraphModelWriter {
  const g = new GraphModelWriter();
  const x = g.placeholder('x', [-1, 4, 4, 8]);
  const pooled = g.op('se/Mean', 'Mean', [x, i32(g, 'se/Mean/reduction_indices', [1, 2])], { Tidx: { type: 'DT_INT32' }, keep_dims: { b: true } });
  const fc1 = g.fusedConv('se/conv1', pooled, [1, 1, 8, 2], { activation: 'Relu' });
  const fc2 = g.fusedConv('se/conv2', fc1, [1, 1, 2, 8]);
  const scaled = g.op('se/hard_sigmoid/mul', 'Mul', [fc2, g.constant('se/hard_sigmoid/mul/y', [], [0.2])]);
  const line = g.op('se/hard_sigmoid/add', 'AddV2', [scaled, g.constant('se/hard_sigmoid/add/y', [], [0.5])]);
  const [zero, one] = [g.constant('se/hard_sigmoid/zero', [], [0]), g.constant('se/hard_sigmoid/one', [], [1])];
  const gate =
    clip === 'ClipByValue'
      ? g.op('se/hard_sigmoid/clip', 'ClipByValue', [line, zero, one])
      : g.op('se/hard_sigmoid/clip', 'Maximum', [g.op('se/hard_sigmoid/clip/Minimum', 'Minimum', [line, one]), zero]);
  g.signature.outputs.push(g.op('se/multiply/mul', 'Mul', [x, gate]));
  return g;
}
