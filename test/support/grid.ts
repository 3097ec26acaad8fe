// Deterministic case grids for tests: every combination, or an even sample of them.
import { buildSpec, type SeSpec, type Spec } from '../../src/model/spec';

export function product<T extends Record<string, readonly unknown[]>>(axes: T): { [K in keyof T]: T[K][number] }[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  }
  return combos as { [K in keyof T]: T[K][number] }[];
}

export function seSpec(c: { channels: number; reduction: number; height: number; width: number; batch: number; bias: boolean }): SeSpec {
  return {
    block: 'se',
    input: { channels: c.channels, height: c.height, width: c.width },
    batch: c.batch,
    reduction: c.reduction,
    bias: c.bias,
  };
}

/** SE specs over channels, reductions (kept <= channels), sizes, batches and bias. */
export function seGrid(axes: {
  channels: readonly number[];
  reduction: readonly number[];
  height: readonly number[];
  width: readonly number[];
  batch: readonly number[];
  bias: readonly boolean[];
}): SeSpec[] {
  return product(axes)
    .filter((c) => c.reduction <= c.channels)
    .map(seSpec);
}

/** Builds a spec through the CLI's own builder from option values, as a user gives them. */
export function specOf(options: Record<string, string | number | boolean | undefined>): Spec {
  const raw: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) raw[key] = typeof value === 'boolean' ? value : String(value);
  }
  return buildSpec(raw);
}
