// ResNet blocks in tfjs, mirroring src/analyzers/analytic/resnet.ts layer for layer.
import type { ResNetBlockConfig } from '../model/blocks';
import { resnetOutputChannels } from '../model/blocks';
import { add, batchnorm, channelsOf, conv, convBnRelu, relu, type Tensor } from './layers';
import { seLayers } from './se';

function branch(x: Tensor, cfg: ResNetBlockConfig, prefix: string): Tensor {
  const p = `${prefix}branch.`;
  if (cfg.kind === 'basic') {
    const y = convBnRelu(p, '1', x, cfg.planes, 3, cfg.stride);
    return batchnorm(`${p}bn2`, conv(`${p}conv2`, y, cfg.planes, 3));
  }
  const [s1, s3] = cfg.strideOn === '1x1' ? [cfg.stride, 1] : [1, cfg.stride];
  let y = convBnRelu(p, '2', convBnRelu(p, '1', x, cfg.planes, 1, s1), cfg.planes, 3, s3);
  if (cfg.se !== null && cfg.sePosition === '3x3') y = seLayers(y, { ...cfg.se, prefix: `${prefix}se.` });
  return batchnorm(`${p}bn3`, conv(`${p}conv3`, y, 4 * cfg.planes, 1));
}

function shortcut(x: Tensor, cfg: ResNetBlockConfig, prefix: string): Tensor {
  const out = resnetOutputChannels(cfg);
  if (cfg.stride === 1 && channelsOf(x) === out) return x;
  return batchnorm(`${prefix}shortcut.bn`, conv(`${prefix}shortcut.conv`, x, out, 1, cfg.stride));
}

export function resnetBlockLayers(x: Tensor, cfg: ResNetBlockConfig, prefix = ''): Tensor {
  const where = cfg.se === null ? null : cfg.sePosition;
  const se = (at: Tensor): Tensor => (cfg.se === null ? at : seLayers(at, { ...cfg.se, prefix: `${prefix}se.` }));

  let residual = branch(where === 'pre' ? se(x) : x, cfg, prefix);
  if (where === 'standard') residual = se(residual);
  let skip = shortcut(x, cfg, prefix);
  if (where === 'identity') skip = se(skip);
  const out = relu(`${prefix}relu`, add(`${prefix}add`, residual, skip));
  return where === 'post' ? se(out) : out;
}
