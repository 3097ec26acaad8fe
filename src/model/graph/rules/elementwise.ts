// Elementwise ops: unary ones keep the shape, binary ones broadcast; integer and float
// values are folded, since exporters compute shapes with Add, Mul, Div, Equal and Where.
import { axisOf, broadcast, count, fail, wholeNumber, type TensorInfo } from '../tensor-info';
import { attrInt, DTYPE, own, type Values } from '../types';
import { need, type RuleInput, type ShapeRule } from './rule';

const FOLD_LIMIT = 4096n;

export const sameShape: ShapeRule = (x) => {
  const a = need(x, 0);
  return [{ shape: a.shape, dtype: a.dtype }];
};

/** Softmax, LogSoftmax, LayerNormalization: the shape kept; an `axis` given must be one of the input's; LayerNormalization's weights fit. */
export const sameShapeOnAxis: ShapeRule = (x) => {
  const a = need(x, 0);
  const given = x.node.attrs.get('axis');
  const axis = given === undefined ? undefined : axisOf(given.kind === 'int' ? given.value : fail('axis is not an integer'), a.shape.length);
  if (x.node.opType === 'LayerNormalization') {
    // Scale and bias are the normalized shape, as nn.LayerNorm exports them.
    const normalized = a.shape.slice(axis ?? -1);
    x.inputs.slice(1).forEach((p, i) => {
      if (p !== undefined && (p.shape.length !== normalized.length || p.shape.some((d, k) => d !== normalized[k])))
        fail(`input ${i + 1} [${p.shape.join(', ')}] is not the normalized shape [${normalized.join(', ')}]`);
    });
  }
  return [{ shape: a.shape, dtype: a.dtype }];
};

/** BatchNormalization and InstanceNormalization: every parameter one value per channel (axis 1). */
export const perChannel: ShapeRule = (x) => {
  const a = need(x, 0);
  const channels = a.shape[1] ?? fail(`input [${a.shape.join(', ')}] has no channel axis`);
  if (x.node.opType === 'BatchNormalization') for (const i of [1, 2, 3, 4]) need(x, i);
  x.inputs.slice(1).forEach((p, i) => {
    if (p !== undefined && (p.shape.length !== 1 || p.shape[0] !== channels))
      fail(`input ${i + 1} [${p.shape.join(', ')}] is not one value per channel (${channels})`);
  });
  return [{ shape: a.shape, dtype: a.dtype }];
};

/** Index of element i of `shape` read from a tensor of shape `from`, broadcasting. */
function broadcastIndex(i: number, shape: readonly number[], from: readonly number[]): number {
  let index = 0;
  let stride = 1;
  let rest = i;
  for (let axis = shape.length - 1; axis >= 0; axis -= 1) {
    const size = shape[axis] as number;
    const at = rest % size;
    rest = Math.floor(rest / size);
    const fromAxis = axis - (shape.length - from.length);
    if (fromAxis < 0) continue;
    const fromSize = from[fromAxis] as number;
    if (fromSize !== 1) index += at * stride;
    stride *= fromSize;
  }
  return index;
}

type IntFn = (...v: bigint[]) => bigint;
type FloatFn = (...v: number[]) => number;

/** ONNX integer Div truncates toward zero, as BigInt division does. */
const INT_OPS: Record<string, IntFn> = {
  Add: (a, b) => (a as bigint) + (b as bigint),
  Sub: (a, b) => (a as bigint) - (b as bigint),
  Mul: (a, b) => (a as bigint) * (b as bigint),
  Div: (a, b) => (b === 0n ? fail('integer division by zero') : (a as bigint) / (b as bigint)),
  Equal: (a, b) => (a === b ? 1n : 0n),
  Less: (a, b) => ((a as bigint) < (b as bigint) ? 1n : 0n),
  Greater: (a, b) => ((a as bigint) > (b as bigint) ? 1n : 0n),
  Max: (a, b) => ((a as bigint) > (b as bigint) ? (a as bigint) : (b as bigint)),
  Min: (a, b) => ((a as bigint) < (b as bigint) ? (a as bigint) : (b as bigint)),
  Where: (c, a, b) => (c !== 0n ? (a as bigint) : (b as bigint)),
  LessOrEqual: (a, b) => ((a as bigint) <= (b as bigint) ? 1n : 0n),
  GreaterOrEqual: (a, b) => ((a as bigint) >= (b as bigint) ? 1n : 0n),
  And: (a, b) => (a !== 0n && b !== 0n ? 1n : 0n),
  Or: (a, b) => (a !== 0n || b !== 0n ? 1n : 0n),
  Not: (a) => (a === 0n ? 1n : 0n),
  Neg: (a) => -(a as bigint),
  Abs: (a) => ((a as bigint) < 0n ? -(a as bigint) : (a as bigint)),
};

/**
 * ONNX Mod: with fmod 0 (integers) the result takes the divisor's sign, as Python's `%` (Swin's
 * window padding `(w - W % w) % w`); with fmod 1 the dividend's, as C's fmod.
 */
function mod(fmod: boolean): { int: IntFn; float: FloatFn } {
  return {
    int: (a, b) => {
      if (b === 0n) fail('integer modulo by zero');
      const r = (a as bigint) % (b as bigint);
      return fmod || r === 0n || r < 0n === (b as bigint) < 0n ? r : r + (b as bigint);
    },
    float: (a, b) => {
      const r = (a as number) % (b as number);
      return fmod || r === 0 || r < 0 === (b as number) < 0 ? r : r + (b as number);
    },
  };
}
const FLOAT_OPS: Record<string, FloatFn> = {
  Add: (a, b) => (a as number) + (b as number),
  Sub: (a, b) => (a as number) - (b as number),
  Mul: (a, b) => (a as number) * (b as number),
  Div: (a, b) => (a as number) / (b as number),
  Floor: (a) => Math.floor(a as number),
  Ceil: (a) => Math.ceil(a as number),
  Sqrt: (a) => Math.sqrt(a as number),
  Neg: (a) => -(a as number),
  Abs: (a) => Math.abs(a as number),
  Pow: (a, b) => (a as number) ** (b as number),
  Where: (c, a, b) => (c !== 0 ? (a as number) : (b as number)),
};

/** Comparisons of float values give booleans, kept as integer values (Where reads them as conditions). */
const FLOAT_COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  Equal: (a, b) => a === b,
  Less: (a, b) => a < b,
  Greater: (a, b) => a > b,
  LessOrEqual: (a, b) => a <= b,
  GreaterOrEqual: (a, b) => a >= b,
};

const COMPARISONS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or']);
/** Max and Min take any number of inputs: folded pairwise. */
const VARIADIC = new Set(['Max', 'Min']);
const foldAll =
  <T>(fn: (...v: T[]) => T, op: string) =>
  (...v: T[]): T =>
    VARIADIC.has(op) ? v.reduce((a, b) => fn(a, b)) : fn(...v);

/** Elementwise with broadcasting, folding values when every input is a small constant. */
export const broadcasting: ShapeRule = (x: RuleInput) => {
  const ins = x.inputs.map((_, i) => need(x, i));
  const shape = broadcast(ins.map((t) => t.shape));
  const dtype = COMPARISONS.has(x.node.opType) ? DTYPE.bool : ((x.node.opType === 'Where' ? ins[1] : ins[0]) as TensorInfo).dtype;
  const out: TensorInfo = { shape, dtype };
  const n = count(shape);
  if (n > FOLD_LIMIT || !ins.every((t) => t.values !== undefined)) return [out];
  const read = (t: TensorInfo, i: number): bigint | number => (t.values as Values).data[broadcastIndex(i, shape, t.shape)] as bigint | number;
  const allInt = x.node.opType === 'Where' ? ins.slice(1).every((t) => t.values?.kind === 'int') : ins.every((t) => t.values?.kind === 'int');
  const modulo = x.node.opType === 'Mod' ? mod(attrInt(x.node, 'fmod', 0n) === 1n) : undefined;
  const [intOp, floatOp] = [modulo?.int ?? own(INT_OPS, x.node.opType), modulo?.float ?? own(FLOAT_OPS, x.node.opType)];
  const intFn = intOp && foldAll(intOp, x.node.opType);
  const floatFn = floatOp && foldAll(floatOp, x.node.opType);
  const compare = own(FLOAT_COMPARISONS, x.node.opType);
  if (!allInt && compare !== undefined) {
    const data = Array.from({ length: Number(n) }, (_, i) => (compare(Number(read(ins[0] as TensorInfo, i)), Number(read(ins[1] as TensorInfo, i))) ? 1n : 0n));
    return [{ ...out, values: { kind: 'int', data } }];
  }
  if (allInt && intFn !== undefined) {
    const data = Array.from({ length: Number(n) }, (_, i) => intFn(...ins.map((t) => BigInt(read(t, i)))));
    return [{ ...out, values: { kind: 'int', data } }];
  }
  if (floatFn !== undefined) {
    const data = Array.from({ length: Number(n) }, (_, i) => floatFn(...ins.map((t) => Number(read(t, i)))));
    return [{ ...out, values: { kind: 'float', data } }];
  }
  return [out];
};

/** Cast keeps values, converting between integer and float as ONNX does (float to int truncates). */
export const cast: ShapeRule = (x) => {
  const a = need(x, 0);
  const to = x.node.attrs.get('to') ?? fail("has no 'to' attribute");
  const dtype = to.kind === 'int' ? Number(to.value) : a.dtype;
  const toInt = [DTYPE.int64, DTYPE.int32, DTYPE.int8, DTYPE.uint8, DTYPE.bool].includes(dtype as 7);
  const out: TensorInfo = { shape: a.shape, dtype };
  if (a.values === undefined) return [out];
  const values: Values = toInt
    ? {
        kind: 'int',
        data:
          a.values.kind === 'int' ? a.values.data : a.values.data.map((v) => wholeNumber(Number.isFinite(v) ? Math.trunc(v) : v, 'a value cast to an integer')),
      }
    : { kind: 'float', data: a.values.kind === 'float' ? a.values.data : a.values.data.map(Number) };
  return [{ ...out, values }];
};
