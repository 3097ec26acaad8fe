// ResNet blocks, plain or with SE at any of the SENet paper's placements.
import { dim, type Op, type Shape } from '../ops';
import { resnetOutputChannels, type ResNetBlockConfig } from '../../model/blocks';
import { add, batchnorm, conv2d, convBnRelu, outputOf, reading, relu } from './layers';
import { seOps } from './se';

function branchOps(x: Shape, cfg: ResNetBlockConfig, prefix: string): Op[] {
  const p = `${prefix}branch.`;
  if (cfg.kind === 'basic') {
    const first = convBnRelu(p, '1', x, cfg.planes, 3, cfg.stride);
    const conv2 = conv2d(`${p}conv2`, outputOf(first), cfg.planes, 3);
    return [...first, conv2, batchnorm(`${p}bn2`, conv2.outputShape)];
  }
  const [s1, s3] = cfg.strideOn === '1x1' ? [cfg.stride, 1] : [1, cfg.stride];
  const first = convBnRelu(p, '1', x, cfg.planes, 1, s1);
  const second = convBnRelu(p, '2', outputOf(first), cfg.planes, 3, s3);
  const relu2 = second.at(-1);
  const se3x3 =
    cfg.se !== null && cfg.sePosition === '3x3' && relu2 !== undefined
      ? seOps({ input: relu2.outputShape, ...cfg.se, prefix: `${prefix}se.`, source: relu2.name })
      : [];
  const conv3 = conv2d(`${p}conv3`, outputOf([...second, ...se3x3]), 4 * cfg.planes, 1);
  return [...first, ...second, ...se3x3, conv3, batchnorm(`${p}bn3`, conv3.outputShape)];
}

/** Projection shortcut conv1x1 + BN when the stride or the width changes, else none. */
function shortcutOps(x: Shape, cfg: ResNetBlockConfig, prefix: string): Op[] {
  const out = resnetOutputChannels(cfg);
  if (cfg.stride === 1 && dim(x, 1) === out) return [];
  const conv = conv2d(`${prefix}shortcut.conv`, x, out, 1, cfg.stride);
  return [conv, batchnorm(`${prefix}shortcut.bn`, conv.outputShape)];
}

/** The last op's name and output shape, or the block input's when there are no ops. */
function tail(ops: readonly Op[], input: { name: string; shape: Shape }): { name: string; shape: Shape } {
  const last = ops.at(-1);
  return last === undefined ? input : { name: last.name, shape: last.outputShape };
}

/**
 * The ops of one block, in execution order. `inputName` is the op whose output the block
 * reads (`input` for the model input): ops that do not read the op before them say what
 * they read, so that the backward pass knows which gradients add up.
 */
export function resnetBlockOps(x: Shape, cfg: ResNetBlockConfig, prefix = '', inputName = 'input'): Op[] {
  const block = { name: inputName, shape: x };
  const se = (at: { name: string; shape: Shape }): Op[] =>
    cfg.se === null ? [] : seOps({ input: at.shape, ...cfg.se, prefix: `${prefix}se.`, source: at.name });
  const where = cfg.se === null ? null : cfg.sePosition;

  const pre = where === 'pre' ? se(block) : [];
  const [firstOfBranch, ...restOfBranch] = branchOps(tail(pre, block).shape, cfg, prefix);
  if (firstOfBranch === undefined) throw new Error('a ResNet branch has ops');
  const branch = [reading(firstOfBranch, [tail(pre, block).name]), ...restOfBranch];
  const standard = where === 'standard' ? se(tail(branch, block)) : [];
  const shortcut = shortcutOps(x, cfg, prefix).map((op, i) => (i === 0 ? reading(op, [inputName]) : op));
  const identity = where === 'identity' ? se(tail(shortcut, block)) : [];
  const residual = tail([...branch, ...standard], block);
  const skip = tail([...shortcut, ...identity], block);
  const sum = reading(add(`${prefix}add`, residual.shape, skip.shape), [residual.name, skip.name]);
  const out = relu(`${prefix}relu`, sum.outputShape);
  const post = where === 'post' ? se({ name: out.name, shape: out.outputShape }) : [];
  return [...pre, ...branch, ...standard, ...shortcut, ...identity, sum, out, ...post];
}
