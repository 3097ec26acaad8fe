// Convolutions, pools, padding and resizing: ONNX's output-size formulas, exact.
import { fail, safeDim, type TensorInfo } from '../tensor-info';
import { attrInt, attrInts, attrString, type GraphNode } from '../types';
import { constantInts, need, type ShapeRule } from './rule';

interface Window {
  kernel: readonly number[];
  strides: readonly number[];
  dilations: readonly number[];
  pads: readonly number[];
}

/** The node's window attributes over `spatial` axes, with ONNX's defaults. */
function windowOf(node: GraphNode, kernel: readonly number[]): Window {
  const spatial = kernel.length;
  const list = (name: string, fallback: number, length = spatial): number[] =>
    (attrInts(node, name) ?? Array.from({ length }, () => BigInt(fallback))).map(Number);
  const strides = list('strides', 1);
  const dilations = list('dilations', 1);
  const pads = list('pads', 0, 2 * spatial);
  if (strides.length !== spatial || dilations.length !== spatial || pads.length !== 2 * spatial) {
    fail(`strides, dilations or pads do not match the ${spatial} spatial axes`);
  }
  if (strides.some((s) => s < 1) || dilations.some((d) => d < 1)) fail('strides and dilations must be at least 1');
  return { kernel, strides, dilations, pads };
}

/** Output spatial sizes of a conv or pool on `sizes`, honouring auto_pad and ceil_mode. */
function outputSizes(node: GraphNode, sizes: readonly number[], w: Window): number[] {
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const ceil = attrInt(node, 'ceil_mode', 0n) === 1n;
  return sizes.map((n, i) => {
    const stride = w.strides[i] as number;
    const extent = ((w.kernel[i] as number) - 1) * (w.dilations[i] as number) + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(n / stride);
    const padded = autoPad === 'VALID' ? n : n + (w.pads[i] as number) + (w.pads[i + sizes.length] as number);
    if (padded < extent) fail(`a window of ${extent} does not fit the padded size ${padded}`);
    const steps = ceil ? Math.ceil((padded - extent) / stride) : Math.floor((padded - extent) / stride);
    // ceil_mode never starts a window inside the right padding (as PyTorch and ONNX Runtime).
    const out = steps + 1;
    return ceil && (out - 1) * stride >= n + (w.pads[i] as number) ? out - 1 : out;
  });
}

export const conv: ShapeRule = (x) => {
  const input = need(x, 0);
  const weight = need(x, 1);
  const [n, c, ...sizes] = input.shape;
  const [m, cPerGroup, ...kernel] = weight.shape;
  if (n === undefined || c === undefined || m === undefined || cPerGroup === undefined || sizes.length === 0) fail(`input [${input.shape.join(', ')}] is not N x C x spatial`);
  const group = Number(attrInt(x.node, 'group', 1n));
  if (kernel.length !== sizes.length) fail(`weight [${weight.shape.join(', ')}] does not match input [${input.shape.join(', ')}]`);
  if (c !== cPerGroup * group) fail(`input has ${c} channels, weight expects ${cPerGroup} x ${group} groups`);
  if (m % group !== 0) fail(`${m} output channels are not divisible into ${group} groups`);
  return [{ shape: [n, m, ...outputSizes(x.node, sizes, windowOf(x.node, kernel))], dtype: input.dtype }];
};

export const convTranspose: ShapeRule = (x) => {
  const input = need(x, 0);
  const weight = need(x, 1);
  const [n, c, ...sizes] = input.shape;
  const [wc, mPerGroup, ...kernel] = weight.shape;
  if (n === undefined || c === undefined || mPerGroup === undefined || kernel.length !== sizes.length) fail('input and weight are not N x C x spatial');
  const group = Number(attrInt(x.node, 'group', 1n));
  if (c !== wc) fail(`input has ${c} channels, weight expects ${wc}`);
  const w = windowOf(x.node, kernel);
  const explicit = attrInts(x.node, 'output_shape');
  const extra = (attrInts(x.node, 'output_padding') ?? []).map(Number);
  const out = explicit
    ? explicit.slice(-sizes.length).map(Number)
    : sizes.map((s, i) => {
        const extent = ((kernel[i] as number) - 1) * (w.dilations[i] as number) + 1;
        if (attrString(x.node, 'auto_pad', 'NOTSET').startsWith('SAME')) return s * (w.strides[i] as number);
        return (w.strides[i] as number) * (s - 1) + (extra[i] ?? 0) + extent - (w.pads[i] as number) - (w.pads[i + sizes.length] as number);
      });
  return [{ shape: [n, mPerGroup * group, ...out.map((d) => safeDim(d, 'output size'))], dtype: input.dtype }];
};

export const pool: ShapeRule = (x) => {
  const input = need(x, 0);
  const [n, c, ...sizes] = input.shape;
  const kernel = attrInts(x.node, 'kernel_shape');
  if (n === undefined || c === undefined || kernel === undefined || kernel.length !== sizes.length) fail('needs kernel_shape over the spatial axes of an N x C x spatial input');
  const out: TensorInfo = { shape: [n, c, ...outputSizes(x.node, sizes, windowOf(x.node, kernel.map(Number)))], dtype: input.dtype };
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
  const axes = x.inputs[3] === undefined ? input.shape.map((_, i) => i) : constantInts(x, 3, 'axes').map((a) => (Number(a) + rank) % rank);
  if (pads.length !== 2 * axes.length) fail(`${pads.length} pads for ${axes.length} axes`);
  const shape = [...input.shape];
  axes.forEach((axis, i) => {
    shape[axis] = safeDim(BigInt(shape[axis] as number) + (pads[i] as bigint) + (pads[i + axes.length] as bigint), 'padded size');
  });
  return [{ shape, dtype: input.dtype }];
};

/** Resize: from sizes, else floor(size * scale) (opset 11+ inputs: X, roi, scales, sizes). */
export const resize: ShapeRule = (x) => {
  const input = need(x, 0);
  const sizes = x.inputs[3];
  if (sizes !== undefined && sizes.shape[0] !== 0) return [{ shape: constantInts(x, 3, 'sizes').map((d) => safeDim(d, 'size')), dtype: input.dtype }];
  const scales = x.inputs[2];
  if (scales?.values?.kind !== 'float') fail('needs constant scales or sizes');
  if (scales.values.data.length !== input.shape.length) fail(`${scales.values.data.length} scales for rank ${input.shape.length}`);
  const data = scales.values.data;
  return [{ shape: input.shape.map((d, i) => safeDim(Math.floor(d * (data[i] as number)), 'resized size')), dtype: input.dtype }];
};
