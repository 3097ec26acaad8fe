// ResNet blocks, plain or with SE at any of the SENet paper's placements.
import { dim, type Op, type Shape } from '../ops';
import { resnetOutputChannels, type ResNetBlockSpec } from '../../spec';
import { add, batchnorm, conv2d, convBnRelu, outputOf, relu } from './layers';
import { seOps } from './se';

export type ResNetBlockConfig = Pick<ResNetBlockSpec, 'kind' | 'planes' | 'stride' | 'strideOn' | 'sePosition'> & {
  /** SE's settings, or null for a plain block. */
  se: { reduction: number; bias: boolean } | null;
};

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
  const conv3 = conv2d(`${p}conv3`, outputOf(second), 4 * cfg.planes, 1);
  return [...first, ...second, conv3, batchnorm(`${p}bn3`, conv3.outputShape)];
}

/** Projection shortcut conv1x1 + BN when the stride or the width changes, else none. */
function shortcutOps(x: Shape, cfg: ResNetBlockConfig, prefix: string): Op[] {
  const out = resnetOutputChannels(cfg);
  if (cfg.stride === 1 && dim(x, 1) === out) return [];
  const conv = conv2d(`${prefix}shortcut.conv`, x, out, 1, cfg.stride);
  return [conv, batchnorm(`${prefix}shortcut.bn`, conv.outputShape)];
}

export function resnetBlockOps(x: Shape, cfg: ResNetBlockConfig, prefix = ''): Op[] {
  const se = (at: Shape): Op[] => (cfg.se === null ? [] : seOps({ input: at, ...cfg.se, prefix: `${prefix}se.` }));
  const where = cfg.se === null ? null : cfg.sePosition;

  const pre = where === 'pre' ? se(x) : [];
  const branch = branchOps(pre.length > 0 ? outputOf(pre) : x, cfg, prefix);
  const standard = where === 'standard' ? se(outputOf(branch)) : [];
  const shortcut = shortcutOps(x, cfg, prefix);
  const identity = where === 'identity' ? se(shortcut.length > 0 ? outputOf(shortcut) : x) : [];
  const skip = [...shortcut, ...identity];
  const sum = add(`${prefix}add`, outputOf([...branch, ...standard]), skip.length > 0 ? outputOf(skip) : x);
  const out = relu(`${prefix}relu`, sum.outputShape);
  const post = where === 'post' ? se(out.outputShape) : [];
  return [...pre, ...branch, ...standard, ...shortcut, ...identity, sum, out, ...post];
}
