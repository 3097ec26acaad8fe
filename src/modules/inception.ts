// Inception blocks in tfjs, mirroring src/analyzers/analytic/inception.ts layer for layer.
import type { InceptionBlockConfig } from '../model/blocks';
import { concat, convBnRelu, pool, type Tensor } from './layers';
import { seLayers } from './se';

export function inceptionBlockLayers(x: Tensor, cfg: InceptionBlockConfig, prefix = ''): Tensor {
  const { c1, c3r, c3, c5r, c5, pp } = cfg.widths;
  const stride = cfg.stride ?? 1;
  const branch2 = convBnRelu(`${prefix}branch2.`, '2', convBnRelu(`${prefix}branch2.`, '1', x, c3r, 1), c3, 3, stride);
  let branch3 = convBnRelu(`${prefix}branch3.`, '1', x, c5r, 1);
  if (cfg.branch3 === '5x5') {
    branch3 = convBnRelu(`${prefix}branch3.`, '2', branch3, c5, 5, stride);
  } else {
    branch3 = convBnRelu(`${prefix}branch3.`, '3', convBnRelu(`${prefix}branch3.`, '2', branch3, c5, 3), c5, 3, stride);
  }
  const pooled = pool(`${prefix}branch4.pool`, cfg.pool, x, 3, stride);
  const branch4 = pp > 0 ? convBnRelu(`${prefix}branch4.`, '', pooled, pp, 1) : pooled;
  const branches = [...(c1 > 0 ? [convBnRelu(`${prefix}branch1.`, '', x, c1, 1)] : []), branch2, branch3, branch4];
  const joined = concat(`${prefix}concat`, branches);
  return cfg.se === null ? joined : seLayers(joined, { ...cfg.se, prefix: `${prefix}se.` });
}
