// What shape inference knows of one tensor: its exact shape, and its values when it is a
// small constant (shape vectors, axes, scales) that exporters compute inside the graph.
import type { Values } from './types';

export interface TensorInfo {
  shape: readonly number[];
  dtype: number;
  values?: Values;
}

/** A shape problem in one node; inference reports it naming the node. */
export class ShapeProblem extends Error {}

export function fail(message: string): never {
  throw new ShapeProblem(message);
}

export function count(shape: readonly number[]): bigint {
  return shape.reduce((n, d) => n * BigInt(d), 1n);
}

/** A dimension computed from the file: a whole number JavaScript holds exactly. */
export function safeDim(n: bigint | number, what: string): number {
  const big = wholeNumber(n, what);
  if (big < 0n || big > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} would be ${big}`);
  return Number(big);
}

/** A value read where ONNX wants an integer: NaN, Infinity and fractions (a float constant gone wrong) refused. */
export function wholeNumber(n: bigint | number, what: string): bigint {
  if (typeof n === 'number' && !Number.isInteger(n)) fail(`${what} is ${n}, not a whole number`);
  return BigInt(n);
}

/** An axis in [-rank, rank) to [0, rank); compared exactly, so 2^40 is not taken for 0. */
export function axisOf(axis: bigint | number, rank: number, what = 'axis'): number {
  const a = wholeNumber(axis, what);
  if (a < -BigInt(rank) || a >= BigInt(rank)) fail(`${what} ${a} is out of range for rank ${rank}`);
  return Number(a < 0n ? a + BigInt(rank) : a);
}

/** Axes, each once: ONNX does not allow an axis to be named twice. */
export function distinctAxes(axes: readonly (bigint | number)[], rank: number): number[] {
  const out = axes.map((a) => axisOf(a, rank));
  const twice = out.find((a, i) => out.indexOf(a) !== i);
  if (twice !== undefined) fail(`axis ${twice} is named twice`);
  return out;
}

/** Numpy-style (multidirectional) broadcasting of shapes. */
export function broadcast(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    let size = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (size !== 1 && size !== d) fail(`shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')} do not broadcast`);
      size = d;
    }
    return size;
  });
}
