// Convolutions, pools, padding and resizing: ONNX's output-size formulas, exact.
import { distinctAxes, fail, safeDim, type TensorInfo } from '../tensor-info';
import { attrInt, attrInts, attrString, type GraphNode } from '../types';
import { constantInts, need, type RuleInput, type ShapeRule } from './rule';

interface Window {
  kernel: readonly bigint[];
  strides: readonly bigint[];
  dilations: readonly bigint[];
  pads: readonly bigint[];
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The node's window attributes over `spatial` axes, with ONNX's defaults; every value a size
 * (no negative pads, no kernel 0, nothing past 2^53), so no count downstream can go negative.
 */
function windowOf(node: GraphNode, kernel: readonly (bigint | number)[]): Window {
  const spatial = kernel.length;
  const list = (name: string, values: readonly (bigint | number)[] | undefined, fallback: bigint, min: bigint, length = spatial): bigint[] => {
    const out = (values ?? Array.from({ length }, () => fallback)).map(BigInt);
    if (out.length !== length) fail(`${name} [${out.join(', ')}] does not match the ${spatial} spatial axes`);
    const bad = out.find((v) => v < min || v > MAX_SAFE);
    if (bad !== undefined) fail(`${name} [${out.join(', ')}]: ${bad} is not a size of at least ${min} (nor past 2^53)`);
    return out;
  };
  return {
    kernel: list('kernel_shape', kernel, 1n, 1n),
    strides: list('strides', attrInts(node, 'strides'), 1n, 1n),
    dilations: list('dilations', attrInts(node, 'dilations'), 1n, 1n),
    pads: list('pads', attrInts(node, 'pads'), 0n, 0n, 2 * spatial),
  };
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** Output spatial sizes of a conv or pool on `sizes`, honouring auto_pad and ceil_mode; exact in bigint. */
function outputSizes(node: GraphNode, sizes: readonly number[], w: Window): number[] {
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const ceil = attrInt(node, 'ceil_mode', 0n) === 1n;
  return sizes.map((size, i) => {
    const n = BigInt(size);
    const stride = w.strides[i] as bigint;
    const extent = ((w.kernel[i] as bigint) - 1n) * (w.dilations[i] as bigint) + 1n;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return safeDim(ceilDiv(n, stride), 'output size');
    const padded = autoPad === 'VALID' ? n : n + (w.pads[i] as bigint) + (w.pads[i + sizes.length] as bigint);
    if (padded < extent) fail(`a window of ${extent} does not fit the padded size ${padded}`);
    const steps = ceil ? ceilDiv(padded - extent, stride) : (padded - extent) / stride;
    // ceil_mode never starts a window inside the right padding (as PyTorch and ONNX Runtime).
    const out = steps + 1n;
    return safeDim(ceil && (out - 1n) * stride >= n + (w.pads[i] as bigint) ? out - 1n : out, 'output size');
  });
}

/** A group count: at least 1, dividing the channels it splits. */
function groupOf(node: GraphNode, channels: number): number {
  const group = attrInt(node, 'group', 1n);
  if (group < 1n || group > BigInt(channels) || BigInt(channels) % group !== 0n)
    fail(`group ${group} does not divide ${channels} input channels into groups of at least one`);
  return Number(group);
}

/** kernel_shape, when given, must be the weight's own. */
function checkKernelShape(node: GraphNode, kernel: readonly number[]): void {
  const given = attrInts(node, 'kernel_shape');
  if (given !== undefined && (given.length !== kernel.length || given.some((k, i) => k !== BigInt(kernel[i] as number)))) {
    fail(`kernel_shape [${given.join(', ')}] contradicts the weight's kernel [${kernel.join(', ')}]`);
  }
}

/** The optional bias input: one value per output channel. */
function checkBias(x: RuleInput, channels: number): void {
  const bias = x.inputs[2];
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== channels))
    fail(`bias [${bias.shape.join(', ')}] is not one value per output channel (${channels})`);
}

export const conv: ShapeRule = (x) => {
  const input = need(x, 0);
  const weight = need(x, 1);
  const [n, c, ...sizes] = input.shape;
  const [m, cPerGroup, ...kernel] = weight.shape;
  if (n === undefined || c === undefined || m === undefined || cPerGroup === undefined || sizes.length === 0)
    fail(`input [${input.shape.join(', ')}] is not N x C x spatial`);
  if (kernel.length !== sizes.length) fail(`weight [${weight.shape.join(', ')}] does not match input [${input.shape.join(', ')}]`);
  const group = groupOf(x.node, c);
  if (c !== cPerGroup * group) fail(`input has ${c} channels, weight expects ${cPerGroup} x ${group} groups`);
  if (m % group !== 0) fail(`${m} output channels are not divisible into ${group} groups`);
  checkKernelShape(x.node, kernel);
  checkBias(x, m);
  return [{ shape: [n, m, ...outputSizes(x.node, sizes, windowOf(x.node, kernel))], dtype: input.dtype }];
};

export const convTranspose: ShapeRule = (x) => {
  const input = need(x, 0);
  const weight = need(x, 1);
  const [n, c, ...sizes] = input.shape;
  const [wc, mPerGroup, ...kernel] = weight.shape;
  if (n === undefined || c === undefined || mPerGroup === undefined || sizes.length === 0 || kernel.length !== sizes.length)
    fail('input and weight are not N x C x spatial');
  if (c !== wc) fail(`input has ${c} channels, weight expects ${wc}`);
  const group = groupOf(x.node, c);
  checkKernelShape(x.node, kernel);
  checkBias(x, mPerGroup * group);
  const w = windowOf(x.node, kernel);
  const explicit = attrInts(x.node, 'output_shape');
  const extra = (attrInts(x.node, 'output_padding') ?? []).map(BigInt);
  const out = explicit
    ? explicit.slice(-sizes.length)
    : sizes.map((s, i) => {
        const extent = ((w.kernel[i] as bigint) - 1n) * (w.dilations[i] as bigint) + 1n;
        if (attrString(x.node, 'auto_pad', 'NOTSET').startsWith('SAME')) return BigInt(s) * (w.strides[i] as bigint);
        return (w.strides[i] as bigint) * BigInt(s - 1) + (extra[i] ?? 0n) + extent - (w.pads[i] as bigint) - (w.pads[i + sizes.length] as bigint);
      });
  return [{ shape: [n, mPerGroup * group, ...out.map((d) => safeDim(d, 'output size'))], dtype: input.dtype }];
};

export const pool: ShapeRule = (x) => {
  const input = need(x, 0);
  const [n, c, ...sizes] = input.shape;
  const kernel = attrInts(x.node, 'kernel_shape');
  if (n === undefined || c === undefined || kernel === undefined || kernel.length !== sizes.length)
    fail('needs kernel_shape over the spatial axes of an N x C x spatial input');
  const out: TensorInfo = { shape: [n, c, ...outputSizes(x.node, sizes, windowOf(x.node, kernel))], dtype: input.dtype };
  // MaxPool's optional second output holds indices of the same shape.
  return x.node.outputs.length > 1 ? [out, { ...out, dtype: 7 }] : [out];
};

export const globalPool: ShapeRule = (x) => {
  const input = need(x, 0);
  const [n, c, ...sizes] = input.shape;
  if (n === undefined || c === undefined || sizes.length === 0) fail(`input [${input.shape.join(', ')}] is not N x C x spatial`);
  return [{ shape: [n, c, ...sizes.map(() => 1)], dtype: input.dtype }];
};

/** Pad: pads from the input (opset 11+), over `axes` when given (opset 18+). */
export const pad: ShapeRule = (x) => {
  const input = need(x, 0);
  const rank = input.shape.length;
  const pads = x.inputs[1] === undefined ? (attrInts(x.node, 'pads') ?? []) : constantInts(x, 1, 'pads');
  const axes = x.inputs[3] === undefined ? input.shape.map((_, i) => i) : distinctAxes(constantInts(x, 3, 'axes'), rank);
  if (pads.length !== 2 * axes.length) fail(`${pads.length} pads for ${axes.length} axes`);
  const shape = [...input.shape];
  axes.forEach((axis, i) => {
    shape[axis] = safeDim(BigInt(shape[axis] as number) + (pads[i] as bigint) + (pads[i + axes.length] as bigint), 'padded size');
  });
  return [{ shape, dtype: input.dtype }];
};

/**
 * Resize: from sizes, else floor(size * scale) (opset 11+ inputs: X, roi, scales, sizes); with
 * the `axes` attribute (opset 18), sizes or scales for those axes only, the others kept.
 */
export const resize: ShapeRule = (x) => {
  const input = need(x, 0);
  const rank = input.shape.length;
  const given = attrInts(x.node, 'axes');
  const axes = given === undefined ? input.shape.map((_, i) => i) : distinctAxes(given, rank);
  const resized = (size: (d: number, k: number) => number): TensorInfo[] => {
    const shape = [...input.shape];
    axes.forEach((axis, k) => {
      shape[axis] = size(input.shape[axis] as number, k);
    });
    return [{ shape, dtype: input.dtype }];
  };
  const sizes = x.inputs[3];
  if (sizes !== undefined && sizes.shape[0] !== 0) {
    const values = constantInts(x, 3, 'sizes');
    if (values.length !== axes.length) fail(`${values.length} sizes for ${axes.length} axes`);
    return resized((_, k) => safeDim(values[k] as bigint, 'size'));
  }
  const scales = x.inputs[2];
  if (scales?.values?.kind !== 'float') fail('needs constant scales or sizes');
  if (scales.values.data.length !== axes.length) fail(`${scales.values.data.length} scales for ${axes.length} axes`);
  const data = scales.values.data;
  const bad = data.find((v) => !Number.isFinite(v) || v <= 0);
  if (bad !== undefined) fail(`scales [${data.join(', ')}]: ${bad} is not a positive finite scale`);
  return resized((d, k) => safeDim(Math.floor(d * (data[k] as number)), 'resized size'));
};
