// The shape rule of every ONNX op seprof reads, keyed by op type (default domain).
import { broadcasting, cast, perChannel, sameShape, sameShapeOnAxis } from './elementwise';
import type { ShapeRule } from './rule';
import { conv, convTranspose, globalPool, pad, pool, resize } from './spatial';
import * as t from './tensor';

export type { RuleInput, ShapeRule } from './rule';

const UNARY = [
  'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh',
  'Clip', 'Mish', 'Softplus', 'Softsign', 'Erf', 'Exp', 'Log', 'Reciprocal', 'GroupNormalization', 'LRN',
] as const;
const BINARY = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual',
  'And', 'Or', 'Where', 'Floor', 'Ceil', 'Sqrt', 'Neg', 'Abs', 'Not',
] as const;

export const SHAPE_RULES: ReadonlyMap<string, ShapeRule> = new Map<string, ShapeRule>([
  ...UNARY.map((op) => [op, sameShape] as const),
  ...BINARY.map((op) => [op, broadcasting] as const),
  ...['Softmax', 'LogSoftmax', 'LayerNormalization'].map((op) => [op, sameShapeOnAxis] as const),
  ...['BatchNormalization', 'InstanceNormalization'].map((op) => [op, perChannel] as const),
  ['Cast', cast],
  ['Conv', conv],
  ['ConvTranspose', convTranspose],
  ['MaxPool', pool],
  ['AveragePool', pool],
  ['LpPool', pool],
  ['GlobalAveragePool', globalPool],
  ['GlobalMaxPool', globalPool],
  ['Pad', pad],
  ['Resize', resize],
  ['Identity', t.identity],
  ['Dropout', t.identity],
  ['Shape', t.shapeOf],
  ['Size', t.size],
  ['Constant', t.constant],
  ['ConstantOfShape', t.constantOfShape],
  ['Gather', t.gather],
  ['Unsqueeze', t.unsqueeze],
  ['Squeeze', t.squeeze],
  ['Concat', t.concat],
  ['Slice', t.slice],
  ['Reshape', t.reshape],
  ['Flatten', t.flatten],
  ['Transpose', t.transpose],
  ['Split', t.split],
  ['Expand', t.expand],
  ['Tile', t.tile],
  ['Range', t.range],
  ['Gemm', t.gemm],
  ['MatMul', t.matmul],
  ['Einsum', t.einsum],
  ['ReduceMean', t.reduce],
  ['ReduceSum', t.reduce],
  ['ReduceMax', t.reduce],
  ['ReduceMin', t.reduce],
]);
