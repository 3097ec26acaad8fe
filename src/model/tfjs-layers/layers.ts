// One Keras layer call to ONNX-vocabulary nodes in NCHW: Conv2D to Conv, Dense to Gemm,
// a fused activation to its own node after the layer (as PyTorch has a module for it).
import { UsageError } from '../../errors';
import type { ByteSource } from '../../fs/byte-source';
import type { Attr, FileBytes, GraphNode, Values } from '../graph/types';

export interface KerasLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
  inbound: unknown;
}

export interface LayerCall {
  /** The node name: the layer's, with `_k` for its k-th call when shared. */
  name: string;
  inputs: string[];
  output: string;
}

/** Registers an initializer (a weight with where its bytes are, or a small constant with its values) and returns its name. */
export type AddWeight = (name: string, dims: readonly number[], source?: Values | FileBytes) => string;

const intValues = (v: number[]): Values => ({ kind: 'int', data: v.map(BigInt) });

interface ShapeOf {
  shape: readonly number[];
  at: { sources: readonly ByteSource[]; offset: number; length: number };
}

/** A weight's bytes, laid out as stored (`perm` takes the stored axes to the declared ones). */
const bytesOf = (w: ShapeOf, perm?: number[]): FileBytes => ({ kind: 'files', ...w.at, ...(perm && { stored: { dims: w.shape, perm } }) });

const ints = (...v: number[]): Attr => ({ kind: 'ints', value: v.map(BigInt) });
const int = (v: number): Attr => ({ kind: 'int', value: BigInt(v) });

function pair(value: unknown, fallback: number): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number') return [value[0], value[1]];
  return [fallback, fallback];
}

/** Keras padding to ONNX auto_pad: TensorFlow's 'same' puts the odd pixel at the end. */
const autoPad = (padding: unknown): Attr => ({ kind: 'string', value: padding === 'same' ? 'SAME_UPPER' : 'VALID' });

/** Keras activation names to ONNX nodes; swish/silu is Sigmoid then Mul, as exporters write it. */
function activationNodes(activation: string, name: string, input: string, output: string, path: string): GraphNode[] {
  const node = (opType: string, attrs: [string, Attr][] = [], inputs = [input], out = output, nodeName = name): GraphNode => ({
    name: nodeName,
    opType,
    domain: '',
    inputs,
    outputs: [out],
    attrs: new Map(attrs),
  });
  switch (activation) {
    case 'linear':
      return [];
    case 'relu':
      return [node('Relu')];
    case 'relu6':
      return [
        node('Clip', [
          ['min', { kind: 'float', value: 0 }],
          ['max', { kind: 'float', value: 6 }],
        ]),
      ];
    case 'sigmoid':
      return [node('Sigmoid')];
    case 'hard_sigmoid':
      return [node('HardSigmoid', [['alpha', { kind: 'float', value: 0.2 }]])];
    case 'tanh':
      return [node('Tanh')];
    case 'softmax':
      return [node('Softmax', [['axis', int(1)]])];
    case 'elu':
      return [node('Elu')];
    // tfjs-layers' Gelu is x * 0.5 * (1 + erf(x / sqrt(2))), GeluNew the tanh approximation (activations.js).
    case 'gelu':
      return [node('Gelu', [['approximate', { kind: 'string', value: 'none' }]])];
    case 'gelu_new':
      return [node('Gelu', [['approximate', { kind: 'string', value: 'tanh' }]])];
    case 'selu':
      return [node('Selu')];
    case 'swish':
    case 'silu':
      return [node('Sigmoid', [], [input], `${output}/sigmoid`, `${name}.sigmoid`), node('Mul', [], [input, `${output}/sigmoid`], output, `${name}.mul`)];
    default:
      throw new UsageError(`${path}: layer '${name}' has activation '${activation}', which seprof does not read`);
  }
}

/** Keras axis of a rank-4 NHWC tensor to NCHW (rank 2 is the same in both). */
const channelAxis = (axis: number): number => (axis === -1 || axis === 3 ? 1 : axis === 1 ? 2 : axis === 2 ? 3 : axis);

export function layerNodes(
  layer: KerasLayer,
  call: LayerCall,
  weights: ReadonlyMap<string, ShapeOf>,
  addWeight: AddWeight,
  index: number,
  path: string,
): GraphNode[] {
  const c = layer.config;
  const { name, output } = call;
  const x = call.inputs[0] ?? '';
  const activation = typeof c['activation'] === 'string' ? c['activation'] : 'linear';
  const main = activation === 'linear' ? output : `${output}/pre-activation`;
  const node = (opType: string, inputs: string[], attrs: [string, Attr][] = [], out = output): GraphNode => ({
    name,
    opType,
    domain: '',
    inputs,
    outputs: [out],
    attrs: new Map(attrs),
  });
  const weight = (key: string): ShapeOf => {
    const w = weights.get(key);
    if (w === undefined) throw new UsageError(`${path}: layer '${layer.name}' has no weight '${key}' in the manifest`);
    return w;
  };
  const plain = (key: string): string => addWeight(`${layer.name}/${key}`, weight(key).shape, bytesOf(weight(key)));
  /** The bias, when the layer has one: one value per output channel, as Keras makes it. */
  const bias = (channels: number): string[] => {
    if (!weights.has('bias')) return [];
    const shape = weight('bias').shape;
    if (shape.length !== 1 || shape[0] !== channels)
      throw new UsageError(`${path}: layer '${layer.name}' has a bias of shape [${shape.join(', ')}], not one value per output channel (${channels})`);
    return [plain('bias')];
  };
  const withActivation = (first: GraphNode): GraphNode[] => [first, ...activationNodes(activation, `${name}.${activation}`, main, output, path)];
  switch (layer.className) {
    case 'Conv2D': {
      const [kh, kw, cinPerGroup, cout] = weight('kernel').shape as [number, number, number, number];
      // Keras HWIO to ONNX OIHW.
      const w = addWeight(`${layer.name}/kernel`, [cout, cinPerGroup, kh, kw], bytesOf(weight('kernel'), [3, 2, 0, 1]));
      const groups = typeof c['groups'] === 'number' ? c['groups'] : 1;
      return withActivation(
        node(
          'Conv',
          [x, w, ...bias(cout)],
          [
            ['kernel_shape', ints(kh, kw)],
            ['strides', ints(...pair(c['strides'], 1))],
            ['dilations', ints(...pair(c['dilation_rate'], 1))],
            ['group', int(groups)],
            ['auto_pad', autoPad(c['padding'])],
          ],
          main,
        ),
      );
    }
    case 'DepthwiseConv2D': {
      const [kh, kw, cin, multiplier] = weight('depthwise_kernel').shape as [number, number, number, number];
      // [kh, kw, C, m] to [C * m, 1, kh, kw]: C and m first, in that order.
      const w = addWeight(`${layer.name}/depthwise_kernel`, [cin * multiplier, 1, kh, kw], bytesOf(weight('depthwise_kernel'), [2, 3, 0, 1]));
      return withActivation(
        node(
          'Conv',
          [x, w, ...bias(cin * multiplier)],
          [
            ['kernel_shape', ints(kh, kw)],
            ['strides', ints(...pair(c['strides'], 1))],
            ['dilations', ints(...pair(c['dilation_rate'], 1))],
            ['group', int(cin)],
            ['auto_pad', autoPad(c['padding'])],
          ],
          main,
        ),
      );
    }
    case 'Dense': {
      const kernel = weight('kernel').shape;
      if (kernel.length !== 2) throw new UsageError(`${path}: layer '${layer.name}' has a kernel of shape [${kernel.join(', ')}], not [inputs, units]`);
      const w = plain('kernel');
      return withActivation(node('Gemm', [x, w, ...bias(kernel[1] as number)], [], main));
    }
    case 'BatchNormalization': {
      const axis = typeof c['axis'] === 'number' ? c['axis'] : -1;
      if (channelAxis(axis) !== 1) throw new UsageError(`${path}: layer '${layer.name}' normalises axis ${axis}; seprof reads channel batch norm only`);
      // Keras' scale=False or center=False leaves gamma or beta out; the graph executor runs the full affine form only.
      return [
        node(
          'BatchNormalization',
          [x, ...['gamma', 'beta', 'moving_mean', 'moving_variance'].map((key) => plain(key))],
          [['epsilon', { kind: 'float', value: Number(c['epsilon'] ?? 1e-3) }]],
        ),
      ];
    }
    case 'Activation':
      return activationNodes(activation, name, x, output, path);
    case 'ReLU':
      return [
        typeof c['max_value'] === 'number'
          ? node(
              'Clip',
              [x],
              [
                ['min', { kind: 'float', value: 0 }],
                ['max', { kind: 'float', value: c['max_value'] }],
              ],
            )
          : node('Relu', [x]),
      ];
    case 'LeakyReLU':
      return [node('LeakyRelu', [x], [['alpha', { kind: 'float', value: Number(c['alpha'] ?? 0.3) }]])];
    case 'Softmax':
      return [node('Softmax', [x], [['axis', int(1)]])];
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const pooled = c['keepdims'] === true ? output : `${output}/pooled`;
      const pool = node(layer.className === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x], [], pooled);
      return c['keepdims'] === true ? [pool] : [pool, { ...node('Flatten', [pooled]), name: `${name}.flatten` }];
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const k = pair(c['pool_size'], 2);
      const strides = c['strides'] === null || c['strides'] === undefined ? k : pair(c['strides'], 1);
      return [
        node(
          layer.className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool',
          [x],
          [
            ['kernel_shape', ints(...k)],
            ['strides', ints(...strides)],
            ['auto_pad', autoPad(c['padding'])],
          ],
        ),
      ];
    }
    case 'Reshape': {
      const target = c['target_shape'];
      if (!Array.isArray(target) || !target.every((d) => typeof d === 'number')) throw new UsageError(`${path}: layer '${layer.name}' has no target_shape`);
      const t = target as number[];
      const chw = t.length === 3 ? [t[2] as number, t[0] as number, t[1] as number] : t;
      // 0 keeps the batch dimension, as in ONNX Reshape.
      return [node('Reshape', [x, addWeight(`${layer.name}/shape_${index}`, [chw.length + 1], intValues([0, ...chw]))])];
    }
    case 'Flatten':
      return [node('Flatten', [x])];
    case 'Dropout':
    case 'SpatialDropout2D':
      return [node('Identity', [x])];
    case 'Add':
    case 'Multiply':
    case 'Subtract': {
      const opType = layer.className === 'Add' ? 'Add' : layer.className === 'Multiply' ? 'Mul' : 'Sub';
      return call.inputs.slice(1).map((b, k, rest) => ({
        ...node(opType, [k === 0 ? x : `${output}/${k}`, b], [], k === rest.length - 1 ? output : `${output}/${k + 1}`),
        name: k === 0 ? name : `${name}_${k}`,
      }));
    }
    case 'Concatenate':
      return [node('Concat', call.inputs, [['axis', int(channelAxis(typeof c['axis'] === 'number' ? c['axis'] : -1))]])];
    case 'ZeroPadding2D': {
      const [top, bottom, left, right] = padding4(c['padding']);
      return [node('Pad', [x, addWeight(`${layer.name}/pads_${index}`, [8], intValues([0, 0, top, left, 0, 0, bottom, right]))])];
    }
    case 'UpSampling2D': {
      const [sh, sw] = pair(c['size'], 2);
      // tfjs-layers resizes with tf.image's defaults: no aligned corners, no half-pixel centres (ONNX asymmetric, nearest by floor).
      const linear = c['interpolation'] === 'bilinear';
      const mode: [string, Attr][] = [
        ['mode', { kind: 'string', value: linear ? 'linear' : 'nearest' }],
        ['coordinate_transformation_mode', { kind: 'string', value: 'asymmetric' }],
      ];
      const scales = addWeight(`${layer.name}/scales_${index}`, [4], { kind: 'float', data: [1, 1, sh, sw] });
      return [node('Resize', [x, '', scales], linear ? mode : [...mode, ['nearest_mode', { kind: 'string', value: 'floor' }]])];
    }
    default:
      // Unknown layers stay in the graph under their Keras name, to be listed as unsupported.
      return [{ ...node(`keras.${layer.className}`, call.inputs), domain: 'keras' }];
  }
}

function padding4(value: unknown): [number, number, number, number] {
  if (typeof value === 'number') return [value, value, value, value];
  if (Array.isArray(value) && value.length === 2) {
    const [h, w] = value as unknown[];
    if (typeof h === 'number' && typeof w === 'number') return [h, h, w, w];
    const [t, b] = pair(h, 0);
    const [l, r] = pair(w, 0);
    return [t, b, l, r];
  }
  return [1, 1, 1, 1];
}
