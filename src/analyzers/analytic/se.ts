// SEAttention from hyper-parameters alone:
// AdaptiveAvgPool2d(1) -> Linear(C, m) -> ReLU -> Linear(m, C) -> Sigmoid -> x * s.
import { makeOp, type Op, type Shape } from '../ops';
import { hiddenWidth } from '../../spec';

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
  const [batch, channels, height, width] = input as [number, number, number, number];
  const hidden = hiddenWidth(channels, reduction);
  const c = BigInt(channels);
  const m = BigInt(hidden);
  const pooled: Shape = [batch, channels, 1, 1];
  const squeezed: Shape = [batch, channels];
  const excited: Shape = [batch, hidden];
  return [
    makeOp(`${prefix}squeeze`, 'global_avg_pool', [input], pooled, { attrs: { kernel: [height, width] }, reads: [source] }),
    makeOp(`${prefix}fc1`, 'linear', [squeezed], excited, { attrs: { bias }, params: c * m + (bias ? m : 0n) }),
    makeOp(`${prefix}relu`, 'relu', [excited], excited),
    makeOp(`${prefix}fc2`, 'linear', [excited], squeezed, { attrs: { bias }, params: m * c + (bias ? c : 0n) }),
    makeOp(`${prefix}sigmoid`, 'sigmoid', [squeezed], squeezed),
    makeOp(`${prefix}scale`, 'scale', [input, pooled], input, { reads: [source, `${prefix}sigmoid`] }),
  ];
}
