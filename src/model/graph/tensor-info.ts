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
  const big = BigInt(n);
  if (big < 0n || big > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} would be ${big}`);
  return Number(big);
}

/** An axis in [-rank, rank) to [0, rank). */
export function axisOf(axis: bigint | number, rank: number, what = 'axis'): number {
  const a = Number(axis);
  if (a < -rank || a >= rank) fail(`${what} ${a} is out of range for rank ${rank}`);
  return a < 0 ? a + rank : a;
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
