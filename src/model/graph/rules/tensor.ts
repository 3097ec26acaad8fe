// Ops that move, select or reshape data, and the shape-computing ops exporters emit
// (Shape, Gather, Unsqueeze, Concat, Slice, ...), folded to constants.
import { axisOf, broadcast, count, distinctAxes, fail, safeDim, type TensorInfo } from '../tensor-info';
import { attrInt, attrInts, DTYPE, type Values } from '../types';
import { letterSizes, parseEinsum } from '../einsum-equation';
import { constantInts, need, type RuleInput, type ShapeRule } from './rule';

const FOLD_LIMIT = 4096n;

/** Values of a tensor laid out row-major, `pick` mapping output index to input index. */
function gatherValues(values: Values | undefined, length: number, pick: (i: number) => number): Values | undefined {
  if (values === undefined) return undefined;
  return values.kind === 'int'
    ? { kind: 'int', data: Array.from({ length }, (_, i) => values.data[pick(i)] as bigint) }
    : { kind: 'float', data: Array.from({ length }, (_, i) => values.data[pick(i)] as number) };
}

const withValues = (info: TensorInfo, values: Values | undefined): TensorInfo => (values === undefined ? info : { ...info, values });

/** Same data, new shape: Reshape, Flatten, Squeeze, Unsqueeze keep the values in order. */
const reshaped = (input: TensorInfo, shape: readonly number[]): TensorInfo => withValues({ shape, dtype: input.dtype }, input.values);

export const identity: ShapeRule = (x) => {
  const a = need(x, 0);
  // Dropout's optional mask output has the input's shape.
  return x.node.outputs.map((_, i) => (i === 0 ? a : { shape: a.shape, dtype: DTYPE.bool }));
};

export const shapeOf: ShapeRule = (x) => {
  const a = need(x, 0);
  const rank = a.shape.length;
  const clamp = (v: bigint): number => Math.min(Math.max(Number(v) < 0 ? Number(v) + rank : Number(v), 0), rank);
  const start = clamp(attrInt(x.node, 'start', 0n));
  const end = clamp(attrInt(x.node, 'end', BigInt(rank)));
  const dims = a.shape.slice(start, Math.max(start, end));
  return [{ shape: [dims.length], dtype: DTYPE.int64, values: { kind: 'int', data: dims.map(BigInt) } }];
};

export const size: ShapeRule = (x) => [{ shape: [], dtype: DTYPE.int64, values: { kind: 'int', data: [count(need(x, 0).shape)] } }];

export const constant: ShapeRule = (x) => {
  const [name, attr] = [...x.node.attrs][0] ?? fail('has no value');
  switch (attr.kind) {
    case 'tensor':
      return [withValues({ shape: attr.value.dims, dtype: attr.value.dtype }, attr.value.values)];
    case 'int':
      return [{ shape: [], dtype: DTYPE.int64, values: { kind: 'int', data: [attr.value] } }];
    case 'ints':
      return [{ shape: [attr.value.length], dtype: DTYPE.int64, values: { kind: 'int', data: attr.value } }];
    case 'float':
      return [{ shape: [], dtype: DTYPE.float, values: { kind: 'float', data: [attr.value] } }];
    case 'floats':
      return [{ shape: [attr.value.length], dtype: DTYPE.float, values: { kind: 'float', data: attr.value } }];
    default:
      return fail(`value attribute '${name}' is not a tensor seprof reads`);
  }
};

export const constantOfShape: ShapeRule = (x) => {
  const shape = constantInts(x, 0, 'shape').map((d) => safeDim(d, 'dimension'));
  const value = x.node.attrs.get('value');
  const fill = value?.kind === 'tensor' ? value.value.values : undefined;
  const dtype = value?.kind === 'tensor' ? value.value.dtype : DTYPE.float;
  const n = count(shape);
  const values = n > FOLD_LIMIT ? undefined : gatherValues(fill ?? { kind: 'float', data: [0] }, Number(n), () => 0);
  return [withValues({ shape, dtype }, values)];
};

export const gather: ShapeRule = (x) => {
  const data = need(x, 0);
  const indices = need(x, 1);
  const axis = axisOf(attrInt(x.node, 'axis', 0n), data.shape.length);
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  const out: TensorInfo = { shape, dtype: data.dtype };
  if (data.values === undefined || indices.values === undefined || count(shape) > FOLD_LIMIT) return [out];
  const size = data.shape[axis] as number;
  const index = indices.values.data.map((v) => {
    const i = Number(v);
    if (i < -size || i >= size) fail(`index ${i} is out of range for size ${size}`);
    return i < 0 ? i + size : i;
  });
  const inner = Number(count(data.shape.slice(axis + 1)));
  const perOuter = index.length * inner;
  return [
    withValues(
      out,
      gatherValues(data.values, Number(count(shape)), (i) => {
        const outer = Math.floor(i / perOuter);
        const within = i % perOuter;
        return (outer * size + (index[Math.floor(within / inner)] as number)) * inner + (within % inner);
      }),
    ),
  ];
};

/** Axes from the input (newer opsets) or the attribute (older). */
function axesOf(x: RuleInput, inputIndex: number): readonly bigint[] | undefined {
  return x.inputs[inputIndex] !== undefined ? constantInts(x, inputIndex, 'axes') : attrInts(x.node, 'axes');
}

export const unsqueeze: ShapeRule = (x) => {
  const a = need(x, 0);
  const axes = axesOf(x, 1) ?? fail('needs axes');
  const rank = a.shape.length + axes.length;
  const at = new Set(distinctAxes(axes, rank));
  const rest = [...a.shape];
  return [
    reshaped(
      a,
      Array.from({ length: rank }, (_, i) => (at.has(i) ? 1 : (rest.shift() as number))),
    ),
  ];
};

export const squeeze: ShapeRule = (x) => {
  const a = need(x, 0);
  const axes = axesOf(x, 1);
  const drop = new Set(axes === undefined ? a.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : distinctAxes(axes, a.shape.length));
  for (const axis of drop) if (a.shape[axis] !== 1) fail(`cannot squeeze axis ${axis} of size ${a.shape[axis]}`);
  return [
    reshaped(
      a,
      a.shape.filter((_, i) => !drop.has(i)),
    ),
  ];
};

export const concat: ShapeRule = (x) => {
  const all = x.inputs.map((_, i) => need(x, i));
  // An empty vector joins shape vectors (exporters build shapes so); it is no operand of a concat of activations.
  const ins = all.filter((t) => !(t.shape.length === 1 && t.shape[0] === 0 && x.inputs.length > 1));
  const first = ins[0] ?? fail('has no inputs');
  if (ins.length < all.length && first.shape.length !== 1) fail(`an empty vector is joined to tensors of rank ${first.shape.length}`);
  // ONNX's Concat has no default axis.
  if (!x.node.attrs.has('axis')) fail('has no axis attribute');
  const axis = axisOf(attrInt(x.node, 'axis', 0n), first.shape.length);
  for (const t of ins) {
    if (t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      fail(`inputs [${first.shape.join(', ')}] and [${t.shape.join(', ')}] differ off axis ${axis}`);
    }
  }
  const shape = first.shape.map((d, i) =>
    i === axis
      ? safeDim(
          ins.reduce((s, t) => s + BigInt(t.shape[axis] as number), 0n),
          'concatenated size',
        )
      : d,
  );
  const out: TensorInfo = { shape, dtype: first.dtype };
  // Shape vectors are concatenated along their only axis; that is the case worth folding.
  if (shape.length !== 1 || !ins.every((t) => t.values !== undefined)) return [out];
  const values = ins.map((t) => t.values as Values);
  return [
    values.every((v) => v.kind === 'int')
      ? { ...out, values: { kind: 'int', data: values.flatMap((v) => v.data as bigint[]) } }
      : { ...out, values: { kind: 'float', data: values.flatMap((v) => v.data.map(Number)) } },
  ];
};

/**
 * ScatterND: the data with slices replaced (`mask[h, w] = cnt`, Swin's attention mask). Its
 * values are not folded: what reads them is computed at run time (the executor runs it).
 */
export const scatterND: ShapeRule = (x) => {
  const data = need(x, 0);
  const indices = need(x, 1).shape;
  const updates = need(x, 2).shape;
  const k = indices.at(-1);
  if (k === undefined || k > data.shape.length) fail(`indices [${indices.join(', ')}] do not index data of rank ${data.shape.length}`);
  const expected = [...indices.slice(0, -1), ...data.shape.slice(k)];
  if (expected.length !== updates.length || expected.some((d, i) => d !== updates[i]))
    fail(`updates [${updates.join(', ')}] are not [${expected.join(', ')}], the slices indices [${indices.join(', ')}] pick`);
  return [{ shape: data.shape, dtype: data.dtype }];
};

export interface SliceRange {
  start: number;
  step: number;
  length: number;
}

/** Per axis, where a Slice starts, its step and how many elements it takes. */
export function sliceRanges(x: RuleInput): SliceRange[] {
  const a = need(x, 0);
  const rank = a.shape.length;
  const starts = x.inputs.length > 1 ? constantInts(x, 1, 'starts') : (attrInts(x.node, 'starts') ?? fail('needs starts'));
  const ends = x.inputs.length > 2 ? constantInts(x, 2, 'ends') : (attrInts(x.node, 'ends') ?? fail('needs ends'));
  const axes = (x.inputs[3] !== undefined ? constantInts(x, 3, 'axes') : attrInts(x.node, 'axes')) ?? starts.map((_, i) => BigInt(i));
  const steps = x.inputs[4] !== undefined ? constantInts(x, 4, 'steps') : starts.map(() => 1n);
  if ([ends, axes, steps].some((list) => list.length !== starts.length)) fail('needs one start, end, axis and step per sliced axis');
  const ranges: SliceRange[] = a.shape.map((d) => ({ start: 0, step: 1, length: d }));
  axes.forEach((axisValue, i) => {
    const axis = axisOf(axisValue, rank);
    const dim = BigInt(a.shape[axis] as number);
    const step = steps[i] ?? 1n;
    if (step === 0n) fail('step 0');
    const clampTo = (v: bigint, lo: bigint, hi: bigint): bigint => (v < lo ? lo : v > hi ? hi : v);
    const norm = (v: bigint): bigint => (v < 0n ? v + dim : v);
    const start = step > 0n ? clampTo(norm(starts[i] as bigint), 0n, dim) : clampTo(norm(starts[i] as bigint), -1n, dim - 1n);
    const end = step > 0n ? clampTo(norm(ends[i] as bigint), 0n, dim) : clampTo(norm(ends[i] as bigint), -1n, dim - 1n);
    const span = step > 0n ? end - start : start - end;
    const abs = step > 0n ? step : -step;
    const length = span <= 0n ? 0n : (span + abs - 1n) / abs;
    ranges[axis] = { start: Number(start), step: Number(step), length: Number(length) };
  });
  return ranges;
}

export const slice: ShapeRule = (x) => {
  const a = need(x, 0);
  const rank = a.shape.length;
  const ranges = sliceRanges(x);
  const shape = ranges.map((r) => r.length);
  const out: TensorInfo = { shape, dtype: a.dtype };
  if (a.values === undefined || count(shape) > FOLD_LIMIT) return [out];
  return [
    withValues(
      out,
      gatherValues(a.values, Number(count(shape)), (i) => {
        let index = 0;
        let rest = i;
        for (let axis = rank - 1, stride = 1; axis >= 0; axis -= 1) {
          const r = ranges[axis] as SliceRange;
          index += (r.start + (rest % r.length) * r.step) * stride;
          rest = Math.floor(rest / r.length);
          stride *= a.shape[axis] as number;
        }
        return index;
      }),
    ),
  ];
};

export const reshape: ShapeRule = (x) => {
  const a = need(x, 0);
  const target = constantInts(x, 1, 'shape');
  const allowZero = attrInt(x.node, 'allowzero', 0n) === 1n;
  const dims = target.map((d, i) => (d === 0n && !allowZero ? BigInt(a.shape[i] ?? fail(`shape copies axis ${i}, which the input lacks`)) : d));
  const total = count(a.shape);
  const known = dims.filter((d) => d !== -1n).reduce((n, d) => n * d, 1n);
  const open = dims.filter((d) => d === -1n).length;
  if (open > 1 || dims.some((d) => d < -1n)) fail(`shape [${target.join(', ')}] is not a valid target`);
  if (open === 1 ? known === 0n || total % known !== 0n : known !== total) {
    fail(`cannot reshape [${a.shape.join(', ')}] (${total} elements) to [${target.join(', ')}]`);
  }
  return [
    reshaped(
      a,
      dims.map((d) => safeDim(d === -1n ? total / known : d, 'dimension')),
    ),
  ];
};

export const flatten: ShapeRule = (x) => {
  const a = need(x, 0);
  const axis = axisOf(attrInt(x.node, 'axis', 1n), a.shape.length + 1);
  return [reshaped(a, [safeDim(count(a.shape.slice(0, axis)), 'rows'), safeDim(count(a.shape.slice(axis)), 'columns')])];
};

export const transpose: ShapeRule = (x) => {
  const a = need(x, 0);
  const perm = (attrInts(x.node, 'perm') ?? a.shape.map((_, i) => BigInt(a.shape.length - 1 - i))).map(Number);
  if (perm.length !== a.shape.length || new Set(perm).size !== perm.length) fail(`perm [${perm.join(', ')}] does not permute rank ${a.shape.length}`);
  const shape = perm.map((p) => a.shape[p] ?? fail(`perm axis ${p} is out of range`));
  const out: TensorInfo = { shape, dtype: a.dtype };
  // Folded: the exporter builds Pad's pads (opset 11+) by transposing a constant.
  if (a.values === undefined || count(shape) > FOLD_LIMIT) return [out];
  const strides = a.shape.map((_, axis) => a.shape.slice(axis + 1).reduce((n, d) => n * d, 1));
  return [
    withValues(
      out,
      gatherValues(a.values, Number(count(shape)), (i) => {
        let index = 0;
        let rest = i;
        for (let axis = shape.length - 1; axis >= 0; axis -= 1) {
          const size = shape[axis] as number;
          index += (rest % size) * (strides[perm[axis] as number] as number);
          rest = Math.floor(rest / size);
        }
        return index;
      }),
    ),
  ];
};

export const split: ShapeRule = (x) => {
  const a = need(x, 0);
  const axis = axisOf(attrInt(x.node, 'axis', 0n), a.shape.length);
  const dim = a.shape[axis] as number;
  const parts = x.node.outputs.length;
  const given = x.inputs[1] !== undefined ? constantInts(x, 1, 'split') : attrInts(x.node, 'split');
  // Without sizes: equal parts, the last one smaller when they do not divide (opset 18).
  const sizes = given?.map(Number) ?? Array.from({ length: parts }, (_, i) => Math.min(Math.ceil(dim / parts), Math.max(0, dim - i * Math.ceil(dim / parts))));
  if (sizes.length !== parts || sizes.some((n) => n < 0) || sizes.reduce((s, n) => s + n, 0) !== dim)
    fail(`split sizes [${sizes.join(', ')}] are not ${parts} sizes adding up to ${dim}`);
  return sizes.map((n) => ({ shape: a.shape.map((d, i) => (i === axis ? n : d)), dtype: a.dtype }));
};

export const expand: ShapeRule = (x) => {
  const a = need(x, 0);
  return [{ shape: broadcast([a.shape, constantInts(x, 1, 'shape').map((d) => safeDim(d, 'dimension'))]), dtype: a.dtype }];
};

export const tile: ShapeRule = (x) => {
  const a = need(x, 0);
  const repeats = constantInts(x, 1, 'repeats');
  return [{ shape: a.shape.map((d, i) => safeDim(BigInt(d) * (repeats[i] ?? 1n), 'dimension')), dtype: a.dtype }];
};

export const range: ShapeRule = (x) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => constantInts(x, i, 'bound')[0] ?? 0n) as [bigint, bigint, bigint];
  if (delta === 0n) fail('delta 0');
  const n = (limit - start + delta + (delta > 0n ? -1n : 1n)) / delta;
  const length = n < 0n ? 0 : safeDim(n, 'length');
  const info: TensorInfo = { shape: [length], dtype: need(x, 0).dtype };
  return BigInt(length) > FOLD_LIMIT ? [info] : [{ ...info, values: { kind: 'int', data: Array.from({ length }, (_, i) => start + BigInt(i) * delta) } }];
};

export const gemm: ShapeRule = (x) => {
  const a = need(x, 0);
  const b = need(x, 1);
  if (a.shape.length !== 2 || b.shape.length !== 2) fail(`needs 2-D inputs, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  const [m, k] = attrInt(x.node, 'transA', 0n) === 1n ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = attrInt(x.node, 'transB', 0n) === 1n ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (k !== kb) fail(`inner dimensions ${k} and ${kb} differ`);
  const shape = [m as number, n as number];
  const bias = x.inputs[2];
  // ONNX lets C broadcast; a Linear's bias (what seprof counts Gemm as) is one value per output.
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== n)) fail(`bias [${bias.shape.join(', ')}] is not one value per output (${n})`);
  return [{ shape, dtype: a.dtype }];
};

/** Einsum: the output's letters sized from the operands (no ellipsis). */
export const einsum: ShapeRule = (x) => {
  const attr = x.node.attrs.get('equation');
  const equation = attr?.kind === 'string' ? attr.value : fail('has no equation');
  const eq = parseEinsum(equation);
  if (typeof eq === 'string') fail(`equation '${equation}': ${eq} is not read`);
  const shapes = x.inputs.map((_, i) => need(x, i).shape);
  const sizes = letterSizes(eq, shapes);
  if (sizes === undefined) fail(`equation '${equation}' does not fit the operands [${shapes.map((s) => s.join(', ')).join('], [')}]`);
  return [{ shape: [...eq.output].map((c) => sizes.get(c) as number), dtype: need(x, 0).dtype }];
};

export const matmul: ShapeRule = (x) => {
  const a = need(x, 0);
  const b = need(x, 1);
  // ONNX allows a vector operand; seprof counts a MatMul as a Linear or a batched product of matrices.
  if (a.shape.length < 2 || b.shape.length < 2)
    fail(
      `an operand of rank ${Math.min(a.shape.length, b.shape.length)} ([${a.shape.join(', ')}] by [${b.shape.join(', ')}]): seprof reads MatMul of matrices (rank 2 or more)`,
    );
  if (a.shape.at(-1) !== b.shape.at(-2)) fail(`inner dimensions ${a.shape.at(-1)} and ${b.shape.at(-2)} differ`);
  const shape = [...broadcast([a.shape.slice(0, -2), b.shape.slice(0, -2)]), a.shape.at(-2) as number, b.shape.at(-1) as number];
  return [{ shape, dtype: a.dtype }];
};

/** ReduceMean and friends: axes from the attribute (older opsets) or the input (ReduceSum 13+, all 18+). */
export const reduce: ShapeRule = (x) => {
  const a = need(x, 0);
  const rank = a.shape.length;
  const axesValues = axesOf(x, 1);
  if (axesValues?.length === 0 && attrInts(x.node, 'axes') !== undefined)
    fail('axes [] is empty: give the axes, or leave the attribute out to reduce over all');
  const noop = attrInt(x.node, 'noop_with_empty_axes', 0n) === 1n;
  if ((axesValues === undefined || axesValues.length === 0) && noop) return [a];
  const axes = new Set(distinctAxes(axesValues === undefined || axesValues.length === 0 ? a.shape.map((_, i) => BigInt(i)) : axesValues, rank));
  const keep = attrInt(x.node, 'keepdims', 1n) === 1n;
  const shape = a.shape.flatMap((d, i) => (axes.has(i) ? (keep ? [1] : []) : [d]));
  return [{ shape, dtype: a.dtype }];
};
