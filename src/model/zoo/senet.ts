// The SENet release's networks as Cadene's pretrainedmodels/models/senet.py ports them: SE with
// 1x1-conv FCs and biases, a ceil-mode stem pool, a fixed 7x7 head. timm's senet.py ports
// Cadene's as legacy_*: the same layers, but SE squeezes with x.mean((2, 3)) (a tensor method,
// which the peers count as such), the stem pool is `pool0` and the head is AdaptiveAvgPool2d.
import { convBnAct, type Node } from '../layer-vocabulary';
import type { SeVariant } from '../se-variants';
import type { NetOptions } from './options';
import { CONV_BN_RELU, PLANES } from './resnext';

/** Cadene's SEModule: Conv2d(C, C // r, 1) with bias, ReLU, Conv2d back, Sigmoid, `module_input * x`. */
const CADENE_SE: SeVariant = { fc: 'conv1x1', activation: 'relu', gate: 'sigmoid', hidden: { rule: 'floor' }, naming: 'cadene' };
/** timm's port of it: `x.mean((2, 3), keepdim=True)` where Cadene has AdaptiveAvgPool2d(1). */
const TIMM_SE: SeVariant = { ...CADENE_SE, naming: 'timm', squeeze: 'mean' };

/** timm's names (timm/models/senet.py) for Cadene's networks. */
export const TIMM_LEGACY = {
  legacy_seresnet50: 'se_resnet50',
  legacy_seresnet101: 'se_resnet101',
  legacy_seresnet152: 'se_resnet152',
  legacy_seresnext50_32x4d: 'se_resnext50_32x4d',
  legacy_seresnext101_32x4d: 'se_resnext101_32x4d',
  legacy_senet154: 'senet154',
} as const satisfies Record<string, keyof typeof CADENE>;

type CadeneBlock = 'se_resnet' | 'se_resnext' | 'senet154';

export const CADENE = {
  se_resnet50: { block: 'se_resnet', depths: [3, 4, 6, 3], groups: 1 },
  se_resnet101: { block: 'se_resnet', depths: [3, 4, 23, 3], groups: 1 },
  se_resnet152: { block: 'se_resnet', depths: [3, 8, 36, 3], groups: 1 },
  se_resnext50_32x4d: { block: 'se_resnext', depths: [3, 4, 6, 3], groups: 32 },
  se_resnext101_32x4d: { block: 'se_resnext', depths: [3, 4, 23, 3], groups: 32 },
  senet154: { block: 'senet154', depths: [3, 8, 36, 3], groups: 64 },
} as const satisfies Record<string, { block: CadeneBlock; depths: readonly number[]; groups: number }>;

/** conv1, conv2 (3x3, groups) and conv3 widths, and which conv strides, of Cadene's three bottlenecks. */
function cadeneWidths(block: CadeneBlock, planes: number, groups: number): { widths: [number, number, number]; strideOn: 1 | 2 } {
  switch (block) {
    case 'se_resnet': // SEResNetBottleneck: stride on conv1, as Caffe
      return { widths: [planes, planes, 4 * planes], strideOn: 1 };
    case 'se_resnext': // SEResNeXtBottleneck: width = floor(planes * 4 / 64) * groups
      return { widths: [Math.floor((planes * 4) / 64) * groups, Math.floor((planes * 4) / 64) * groups, 4 * planes], strideOn: 2 };
    case 'senet154': // SEBottleneck
      return { widths: [2 * planes, 4 * planes, 4 * planes], strideOn: 2 };
  }
}

export function cadeneSenet(name: keyof typeof CADENE, options: NetOptions, port: 'cadene' | 'timm' = 'cadene'): Node[] {
  const timm = port === 'timm';
  const { block, depths, groups } = CADENE[name];
  const wide = block === 'senet154';
  const stem: Node[] = wide
    ? [
        ...convBnAct('layer0.', CONV_BN_RELU(1), { cout: 64, k: 3, stride: 2 }, 'relu'),
        ...convBnAct('layer0.', CONV_BN_RELU(2), { cout: 64, k: 3 }, 'relu'),
        ...convBnAct('layer0.', CONV_BN_RELU(3), { cout: 128, k: 3 }, 'relu'),
      ]
    : convBnAct('layer0.', CONV_BN_RELU(1), { cout: 64, k: 7, stride: 2 }, 'relu');
  const nodes: Node[] = [...stem, { kind: 'pool', name: timm ? 'pool0' : 'layer0.pool', pool: 'max', k: 3, stride: 2, padding: 'ceil' }];
  depths.forEach((depth, s) => {
    const planes = PLANES[s] ?? 0;
    const { widths, strideOn } = cadeneWidths(block, planes, groups);
    for (let i = 0; i < depth; i++) {
      const prefix = `layer${s + 1}.${i}.`;
      const stride = i === 0 && s > 0 ? 2 : 1;
      const body: Node[] = [
        ...convBnAct(prefix, CONV_BN_RELU(1), { cout: widths[0], k: 1, stride: strideOn === 1 ? stride : 1 }, 'relu'),
        ...convBnAct(prefix, CONV_BN_RELU(2), { cout: widths[1], k: 3, stride: strideOn === 2 ? stride : 1, groups }, 'relu'),
        ...convBnAct(prefix, CONV_BN_RELU(3), { cout: widths[2], k: 1 }, null),
        ...(options.se
          ? [{ kind: 'se' as const, prefix: `${prefix}se_module.`, se: { reduction: options.reduction, bias: true, variant: timm ? TIMM_SE : CADENE_SE } }]
          : []),
      ];
      // SENet-154 downsamples layers 2-4 with a 3x3 conv (padding 1), the others with a 1x1.
      const k = wide && s > 0 ? 3 : 1;
      const shortcut = i === 0 ? convBnAct(`${prefix}downsample.`, ['0', '1', ''], { cout: 4 * planes, k, stride }, null) : [];
      // One nn.ReLU module runs three times; its runs are named relu1, relu2 and relu3.
      nodes.push({ kind: 'residual', name: `${prefix}add`, body, shortcut }, { kind: 'act', name: `${prefix}relu3`, act: 'relu' });
    }
  });
  // Cadene's head is fixed: AvgPool2d(7, stride=1), then (SENet-154) Dropout, a no-op in eval;
  // timm's pools adaptively (SelectAdaptivePool2d's AdaptiveAvgPool2d, then a Flatten: a view).
  const pool: Node = timm ? { kind: 'gap', name: 'global_pool.pool' } : { kind: 'pool', name: 'avg_pool', pool: 'avg', k: 7, stride: 1, padding: 'valid' };
  nodes.push(pool, { kind: 'linear', name: 'last_linear', out: 1000, bias: true });
  return nodes;
}
