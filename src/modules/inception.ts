// Inception blocks in tfjs, mirroring src/analyzers/analytic/inception.ts layer for layer.
import type { InceptionBlockConfig } from '../analyzers/analytic/inception';
import { concat, convBnRelu, pool, type Tensor } from './layers';
import { seLayers } from './se';

export function inceptionBlockLayers(x: Tensor, cfg: InceptionBlockConfig, prefix = ''): Tensor {
  const { c1, c3r, c3, c5r, c5, pp } = cfg.widths;
  const branch1 = convBnRelu(`${prefix}branch1.`, '', x, c1, 1);
  const branch2 = convBnRelu(`${prefix}branch2.`, '2', convBnRelu(`${prefix}branch2.`, '1', x, c3r, 1), c3, 3);
  let branch3 = convBnRelu(`${prefix}branch3.`, '1', x, c5r, 1);
  branch3 = convBnRelu(`${prefix}branch3.`, '2', branch3, c5, cfg.branch3 === '5x5' ? 5 : 3);
  if (cfg.branch3 === '3x3x2') branch3 = convBnRelu(`${prefix}branch3.`, '3', branch3, c5, 3);
  const branch4 = convBnRelu(`${prefix}branch4.`, '', pool(`${prefix}branch4.pool`, cfg.pool, x, 3, 1), pp, 1);
  const joined = concat(`${prefix}concat`, [branch1, branch2, branch3, branch4]);
  return cfg.se === null ? joined : seLayers(joined, { ...cfg.se, prefix: `${prefix}se.` });
}
