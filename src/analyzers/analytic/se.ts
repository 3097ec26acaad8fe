// SEAttention from hyper-parameters alone:
// AdaptiveAvgPool2d(1) -> Linear(C, m) -> ReLU -> Linear(m, C) -> Sigmoid -> x * s.
import { dim, makeOp, type Op, type Shape } from '../ops';
import { hiddenWidth } from '../../model/blocks';
import { globalAvgPool, linear, relu } from './layers';

export interface SeParams {
  /** Input shape, NCHW. */
  input: Shape;
  reduction: number;
  bias: boolean;
  /** Path prefix: '' for a standalone module, 'se.' inside a block. */
  prefix?: string;
  /** The op whose output SE rescales (`input` for the model input): squeeze and scale both read it. */
  source?: string;
}

export function seOps({ input, reduction, bias, prefix = '', source = 'input' }: SeParams): Op[] {
  const [batch, channels] = [dim(input, 0), dim(input, 1)];
  const squeeze = { ...globalAvgPool(`${prefix}squeeze`, input), reads: [source] };
  const fc1 = linear(`${prefix}fc1`, [batch, channels], hiddenWidth(channels, reduction), bias); // .view(B, C)
  const fc2 = linear(`${prefix}fc2`, fc1.outputShape, channels, bias);
  return [
    squeeze,
    fc1,
    relu(`${prefix}relu`, fc1.outputShape),
    fc2,
    makeOp(`${prefix}sigmoid`, 'sigmoid', [fc2.outputShape], fc2.outputShape),
    makeOp(`${prefix}scale`, 'scale', [input, squeeze.outputShape], input, { reads: [source, `${prefix}sigmoid`] }),
  ];
}
