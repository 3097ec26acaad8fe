// Inception blocks (GoogLeNet / BN-Inception), plain or with SE on the concatenation.
import type { Op, Shape } from '../ops';
import type { InceptionBlockConfig } from '../../model/blocks';
import { concat, convBnRelu, outputOf, pool, reading } from './layers';
import { seOps } from './se';

/** The ops of one block; every branch reads `inputName` (`input` for the model input). */
export function inceptionBlockOps(x: Shape, cfg: InceptionBlockConfig, prefix = '', inputName = 'input'): Op[] {
  const { c1, c3r, c3, c5r, c5, pp } = cfg.widths;
  const stride = cfg.stride ?? 1;
  const branch1 = c1 > 0 ? convBnRelu(`${prefix}branch1.`, '', x, c1, 1) : [];

  const reduce3 = convBnRelu(`${prefix}branch2.`, '1', x, c3r, 1);
  const branch2 = [...reduce3, ...convBnRelu(`${prefix}branch2.`, '2', outputOf(reduce3), c3, 3, stride)];

  const reduce5 = convBnRelu(`${prefix}branch3.`, '1', x, c5r, 1);
  const wide = convBnRelu(`${prefix}branch3.`, '2', outputOf(reduce5), c5, cfg.branch3 === '5x5' ? 5 : 3, cfg.branch3 === '5x5' ? stride : 1);
  const stacked = cfg.branch3 === '3x3x2' ? convBnRelu(`${prefix}branch3.`, '3', outputOf(wide), c5, 3, stride) : [];
  const branch3 = [...reduce5, ...wide, ...stacked];

  const pooled = pool(`${prefix}branch4.pool`, cfg.pool === 'max' ? 'max_pool' : 'avg_pool', x, 3, stride);
  const branch4 = [pooled, ...(pp > 0 ? convBnRelu(`${prefix}branch4.`, '', pooled.outputShape, pp, 1) : [])];

  const branches = [branch1, branch2, branch3, branch4]
    .filter((b) => b.length > 0)
    .map(([first, ...rest]) => (first === undefined ? [] : [reading(first, [inputName]), ...rest]));
  const lasts = branches.map((b) => b.at(-1)).filter((op): op is Op => op !== undefined);
  const joined = reading(
    concat(
      `${prefix}concat`,
      lasts.map((op) => op.outputShape),
    ),
    lasts.map((op) => op.name),
  );
  const se = cfg.se === null ? [] : seOps({ input: joined.outputShape, ...cfg.se, prefix: `${prefix}se.`, source: joined.name });
  return [...branches.flat(), joined, ...se];
}
