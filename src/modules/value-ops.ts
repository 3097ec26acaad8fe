// The value ops (model/graph/node-groups: masks, indices and selections, no module and no cost)
// as tfjs runs them: in the graph's order, with ONNX's dtypes as tfjs holds them (bool, int32 for
// ONNX's integers, float32), each by the tfjs op that computes what ONNX defines.
import * as tf from '@tensorflow/tfjs-core';
import { attrInt, DTYPE, type GraphNode } from '../model/graph/types';

/** The kernels value ops and selecting views run: the measured run accepts them between modules, as layout. */
export const VALUE_KERNELS: ReadonlySet<string> = new Set([
  'TensorScatterUpdate',
  'Equal',
  'Less',
  'Greater',
  'LessEqual',
  'GreaterEqual',
  'LogicalNot',
  'LogicalAnd',
  'LogicalOr',
  'Select',
  'Mod',
  'Fill',
  'Range',
  'GatherV2',
  'Cast',
]);

const FLOATS: ReadonlySet<number> = new Set([DTYPE.float, DTYPE.float16, DTYPE.double]);

/** How tfjs holds a tensor of ONNX dtype `onnx`: floats as float32, integers as int32. */
export function tfDtype(onnx: number): 'float32' | 'int32' | 'bool' {
  if (onnx === DTYPE.bool) return 'bool';
  return FLOATS.has(onnx) ? 'float32' : 'int32';
}

const stringAttr = (node: GraphNode, name: string): string | undefined => {
  const attr = node.attrs.get(name);
  return attr?.kind === 'string' ? attr.value : undefined;
};

/** Why tfjs cannot compute a value node as ONNX defines it, or undefined when it can. */
export function valueGap(node: GraphNode): string | undefined {
  if (node.opType === 'Mod' && attrInt(node, 'fmod', 0n) === 1n) return "fmod=1 truncates (C's fmod), tfjs's mod floors";
  const reduction = node.opType === 'ScatterND' ? (stringAttr(node, 'reduction') ?? 'none') : 'none';
  if (reduction !== 'none') return `reduction '${reduction}': tfjs's tensorScatterUpdate replaces`;
  return undefined;
}

/**
 * A value node's output from its inputs (graph order, undefined where ONNX leaves one out):
 * `shape` and `dtype` are the output's, as shape inference worked them out.
 */
export function runValueOp(node: GraphNode, inputs: readonly (tf.Tensor | undefined)[], shape: readonly number[], dtype: number): tf.Tensor {
  const at = (i: number): tf.Tensor => {
    const t = inputs[i];
    if (t === undefined) throw new Error(`${node.opType} node '${node.name}' has no input ${i}`);
    return t;
  };
  switch (node.opType) {
    case 'Equal':
      return tf.equal(at(0), at(1));
    case 'Less':
      return tf.less(at(0), at(1));
    case 'Greater':
      return tf.greater(at(0), at(1));
    case 'LessOrEqual':
      return tf.lessEqual(at(0), at(1));
    case 'GreaterOrEqual':
      return tf.greaterEqual(at(0), at(1));
    case 'Not':
      return tf.logicalNot(at(0));
    case 'And':
      return tf.logicalAnd(at(0), at(1));
    case 'Or':
      return tf.logicalOr(at(0), at(1));
    case 'Where': {
      const [a, b] = [at(1), at(2)];
      return tf.where(tf.cast(at(0), 'bool'), a, b.dtype === a.dtype ? b : tf.cast(b, a.dtype));
    }
    case 'Mod':
      // fmod=0: the result takes the divisor's sign (Python's %), as tfjs's floor mod does.
      return tf.mod(at(0), at(1));
    case 'ScatterND':
      return tf.tensorScatterUpdate(at(0), tf.cast(at(1), 'int32'), at(2));
    case 'ConstantOfShape': {
      const value = node.attrs.get('value');
      const fill = value?.kind === 'tensor' ? Number(value.value.values?.data[0] ?? 0) : 0;
      return tf.fill([...shape], fill, tfDtype(dtype));
    }
    case 'Range': {
      const [start, limit, delta] = [0, 1, 2].map((i) => at(i).dataSync()[0] as number);
      return tf.range(start as number, limit as number, delta as number, tfDtype(dtype) === 'int32' ? 'int32' : 'float32');
    }
    case 'Gather': {
      // Computed indices may be negative (from the end): a floor mod by the axis's size brings them in range.
      const x = at(0);
      const axis = Number(attrInt(node, 'axis', 0n) + (attrInt(node, 'axis', 0n) < 0n ? BigInt(x.rank) : 0n));
      return tf.gather(x, tf.mod(tf.cast(at(1), 'int32'), tf.scalar(x.shape[axis] as number, 'int32')), axis);
    }
    default:
      throw new Error(`${node.opType} node '${node.name}' is no value op`);
  }
}
