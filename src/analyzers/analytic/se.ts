// SE from hyper-parameters alone. The paper's SEAttention:
// AdaptiveAvgPool2d(1) -> Linear(C, m) -> ReLU -> Linear(m, C) -> Sigmoid -> x * s;
// the field's variants swap the FCs for 1x1 convs, the activation and the gate.
import { UsageError } from '../../errors';
import { dim, makeOp, type Op, type Shape } from '../ops';
import { seWidth, type SeSettings } from '../../model/blocks';
import { PAPER_SE, seOpNames } from '../../model/se-variants';
import { conv2d, globalAvgPool, linear } from './layers';

export interface SeParams extends SeSettings {
  /** Input shape, NCHW. */
  input: Shape;
  /** Path prefix: '' for a standalone module, 'se.' inside a block. */
  prefix?: string;
  /** The op whose output SE rescales (`input` for the model input): squeeze and scale both read it. */
  source?: string;
}

export function seOps({ input, prefix = '', source = 'input', ...se }: SeParams): Op[] {
  const variant = se.variant ?? PAPER_SE;
  const names = seOpNames(variant);
  const [batch, channels] = [dim(input, 0), dim(input, 1)];
  const hidden = seWidth(channels, se);
  if (hidden < 1) throw new UsageError(`${prefix}${names.fc1}: SE on ${channels} channels at --reduction ${se.reduction} has a hidden width of 0`);
  const pooled = globalAvgPool(`${prefix}${names.squeeze}`, input);
  const squeeze = { ...(variant.squeeze === 'mean' ? { ...pooled, kind: 'reduce_mean' as const } : pooled), reads: [source] };
  // Linear reads the squeeze as [B, C] (a view); a 1x1 conv reads it as it is.
  const fc = (name: string, x: Shape, out: number): Op =>
    variant.fc === 'linear' ? linear(name, x.slice(0, 2), out, se.bias) : conv2d(name, x, out, 1, 1, se.bias);
  const fc1 = fc(`${prefix}${names.fc1}`, squeeze.outputShape, hidden);
  const act = makeOp(`${prefix}${names.act}`, variant.activation, [fc1.outputShape], fc1.outputShape);
  const fc2 = fc(`${prefix}${names.fc2}`, act.outputShape, channels);
  const gate = makeOp(`${prefix}${names.gate}`, variant.gate, [fc2.outputShape], fc2.outputShape);
  const scale = makeOp(`${prefix}${names.scale}`, 'scale', [input, [batch, channels, 1, 1]], input, { reads: [source, gate.name] });
  return [squeeze, fc1, act, fc2, gate, scale];
}
