// Inception blocks (GoogLeNet / BN-Inception), plain or with SE on the concatenation.
import type { Op, Shape } from '../ops';
import type { InceptionBlockSpec } from '../../spec';
import { concat, convBnRelu, outputOf, pool } from './layers';
import { seOps } from './se';

export type InceptionBlockConfig = Pick<InceptionBlockSpec, 'widths' | 'branch3' | 'pool'> & {
  se: { reduction: number; bias: boolean } | null;
};

export function inceptionBlockOps(x: Shape, cfg: InceptionBlockConfig, prefix = ''): Op[] {
  const { c1, c3r, c3, c5r, c5, pp } = cfg.widths;
  const branch1 = convBnRelu(`${prefix}branch1.`, '', x, c1, 1);

  const reduce3 = convBnRelu(`${prefix}branch2.`, '1', x, c3r, 1);
  const branch2 = [...reduce3, ...convBnRelu(`${prefix}branch2.`, '2', outputOf(reduce3), c3, 3)];

  const reduce5 = convBnRelu(`${prefix}branch3.`, '1', x, c5r, 1);
  const wide = convBnRelu(`${prefix}branch3.`, '2', outputOf(reduce5), c5, cfg.branch3 === '5x5' ? 5 : 3);
  const stacked = cfg.branch3 === '3x3x2' ? convBnRelu(`${prefix}branch3.`, '3', outputOf(wide), c5, 3) : [];
  const branch3 = [...reduce5, ...wide, ...stacked];

  const pooled = pool(`${prefix}branch4.pool`, cfg.pool === 'max' ? 'max_pool' : 'avg_pool', x, 3, 1);
  const branch4 = [pooled, ...convBnRelu(`${prefix}branch4.`, '', pooled.outputShape, pp, 1)];

  const joined = concat(`${prefix}concat`, [branch1, branch2, branch3, branch4].map(outputOf));
  const se = cfg.se === null ? [] : seOps({ input: joined.outputShape, ...cfg.se, prefix: `${prefix}se.` });
  return [...branch1, ...branch2, ...branch3, ...branch4, joined, ...se];
}
