// One analytic op per PyTorch module, its output shape worked out from the input shape.
import { dim, makeOp, toDim, type Op, type Shape } from '../ops';

/**
 * PyTorch's output size: floor((n + 2*pad - k) / stride) + 1, in bigint: n + 2*pad can pass
 * 2^53. The operands are whole and positive, so bigint's truncating division is the floor.
 */
export function outSize(n: number, k: number, stride: number, pad: number): number {
  return toDim((BigInt(n) + 2n * BigInt(pad) - BigInt(k)) / BigInt(stride) + 1n);
}

/** Height and width after a k x k window (k odd) with 'same'-style padding (k - 1) / 2. */
function spatial(x: Shape, k: number, stride: number): [number, number] {
  if (k % 2 !== 1) throw new Error(`'same' padding needs an odd window, not ${k}`);
  const pad = (k - 1) / 2;
  return [outSize(dim(x, 2), k, stride, pad), outSize(dim(x, 3), k, stride, pad)];
}

/** Conv2d with padding (k - 1) / 2; `groups` divides both channel counts (depthwise: groups = Cin). */
export function conv2d(name: string, x: Shape, cout: number, k: number, stride = 1, bias = false, groups = 1): Op {
  const cin = dim(x, 1);
  if (cin % groups !== 0 || cout % groups !== 0) throw new Error(`${name}: ${groups} groups do not divide ${cin} -> ${cout} channels`);
  const y: Shape = [dim(x, 0), cout, ...spatial(x, k, stride)];
  const weights = BigInt(cout) * BigInt(cin / groups) * BigInt(k) * BigInt(k) + (bias ? BigInt(cout) : 0n);
  return makeOp(name, 'conv2d', [x], y, { attrs: { kernel: [k, k], stride, groups, bias }, params: weights });
}

/** BatchNorm2d: gamma and beta are params; running mean and variance are buffers. */
export function batchnorm(name: string, x: Shape): Op {
  const c = BigInt(dim(x, 1));
  return makeOp(name, 'batchnorm', [x], x, { params: 2n * c, buffers: 2n * c });
}

export function relu(name: string, x: Shape): Op {
  return makeOp(name, 'relu', [x], x);
}

export function pool(name: string, kind: 'max_pool' | 'avg_pool', x: Shape, k: number, stride: number): Op {
  return makeOp(name, kind, [x], [dim(x, 0), dim(x, 1), ...spatial(x, k, stride)], { attrs: { kernel: [k, k], stride } });
}

export function add(name: string, a: Shape, b: Shape): Op {
  return makeOp(name, 'add', [a, b], a);
}

export function concat(name: string, xs: Shape[]): Op {
  const first = xs[0];
  if (first === undefined) throw new Error('concat of nothing');
  const channels = toDim(xs.reduce((sum, x) => sum + BigInt(dim(x, 1)), 0n));
  return makeOp(name, 'concat', xs, [dim(first, 0), channels, dim(first, 2), dim(first, 3)]);
}

/** The output shape of the last op of a non-empty sequence. */
export function outputOf(ops: readonly Op[]): Shape {
  const last = ops.at(-1);
  if (last === undefined) throw new Error('no ops');
  return last.outputShape;
}

/** conv -> BatchNorm -> ReLU, named `${prefix}conv${suffix}` and so on. */
export function convBnRelu(prefix: string, suffix: string, x: Shape, cout: number, k: number, stride = 1): Op[] {
  const conv = conv2d(`${prefix}conv${suffix}`, x, cout, k, stride);
  const bn = batchnorm(`${prefix}bn${suffix}`, conv.outputShape);
  return [conv, bn, relu(`${prefix}relu${suffix}`, bn.outputShape)];
}

/** AdaptiveAvgPool2d(1): NCHW in, [B, C, 1, 1] out. */
export function globalAvgPool(name: string, x: Shape): Op {
  return makeOp(name, 'global_avg_pool', [x], [dim(x, 0), dim(x, 1), 1, 1], { attrs: { kernel: [dim(x, 2), dim(x, 3)] } });
}

/** Linear on [rows, in]. */
export function linear(name: string, x: Shape, out: number, bias: boolean): Op {
  const inFeatures = BigInt(dim(x, -1));
  const params = inFeatures * BigInt(out) + (bias ? BigInt(out) : 0n);
  return makeOp(name, 'linear', [x], [...x.slice(0, -1), out], { attrs: { bias }, params });
}

/** The op, reading the outputs of the named ops rather than the op before it. */
export function reading(op: Op, reads: readonly string[]): Op {
  return { ...op, reads };
}
