// Whole networks as plans: a sequence of pieces that the analytic path and the tfjs
// builder both walk, so the architecture is written once.
import { RESNET_DEPTHS, type InceptionBlockConfig, type Layout, type ResNetBlockConfig, type SePosition, type SeSettings } from './blocks';
import type { Node } from './layer-vocabulary';
import { hasSe, seSettingsOf, zooOf, type NetworkSpec } from './spec';

export type Piece =
  /** conv -> BN -> ReLU named `${prefix}conv${suffix}`, `${prefix}bn${suffix}`, `${prefix}relu${suffix}`. */
  | { kind: 'conv-bn-relu'; prefix: string; suffix: string; cout: number; k: number; stride: number }
  | { kind: 'pool'; name: string; pool: 'max' | 'avg'; k: number; stride: number }
  | { kind: 'resnet-block'; prefix: string; cfg: ResNetBlockConfig }
  | { kind: 'inception-block'; prefix: string; cfg: InceptionBlockConfig }
  | { kind: 'global-pool'; name: string }
  /** Flattens [B, C, 1, 1] to [B, C] (a view), then a fully connected layer. */
  | { kind: 'linear'; name: string; out: number; bias: boolean }
  /** A network written in the layer vocabulary of graph.ts. */
  | { kind: 'nodes'; nodes: Node[] };

const CLASSES = 1000;

/** torchvision's ResNet: stem, four stages of bottlenecks, global pool, 1000-way classifier. */
function resnetPlan(
  depths: readonly number[],
  layout: Layout,
  se: SeSettings | null,
  where: { sePosition?: SePosition | undefined; seStages?: readonly number[] | undefined } = {},
): Piece[] {
  const pieces: Piece[] = [
    { kind: 'conv-bn-relu', prefix: 'stem.', suffix: '1', cout: 64, k: 7, stride: 2 },
    { kind: 'pool', name: 'stem.maxpool', pool: 'max', k: 3, stride: 2 },
  ];
  depths.forEach((blocks, stage) => {
    for (let i = 0; i < blocks; i++) {
      const cfg: ResNetBlockConfig = {
        kind: 'bottleneck',
        planes: 64 * 2 ** stage,
        stride: i === 0 && stage > 0 ? 2 : 1,
        strideOn: layout === 'v1' ? '1x1' : '3x3',
        sePosition: where.sePosition ?? 'standard',
        se: where.seStages === undefined || where.seStages.includes(stage + 1) ? se : null,
      };
      pieces.push({ kind: 'resnet-block', prefix: `layer${stage + 1}.${i}.`, cfg });
    }
  });
  pieces.push({ kind: 'global-pool', name: 'avgpool' }, { kind: 'linear', name: 'fc', out: CLASSES, bias: true });
  return pieces;
}

type Module = [name: string, c1: number, c3r: number, c3: number, c5r: number, c5: number, pool: 'max' | 'avg', pp: number];

/**
 * BN-Inception as models/SE-BN-Inception.prototxt of the SENet release defines it: its
 * third branch is two stacked 3x3 convs; 3c and 4e halve the grid (stride 2, no 1x1
 * branch, max pool without projection). Widths per module: 1x1; 3x3 reduce, 3x3;
 * double-3x3 reduce, double 3x3; pool, projection.
 */
const BN_INCEPTION: readonly Module[] = [
  ['3a', 64, 64, 64, 64, 96, 'avg', 32],
  ['3b', 64, 64, 96, 64, 96, 'avg', 64],
  ['3c', 0, 128, 160, 64, 96, 'max', 0],
  ['4a', 224, 64, 96, 96, 128, 'avg', 128],
  ['4b', 192, 96, 128, 96, 128, 'avg', 128],
  ['4c', 160, 128, 160, 128, 160, 'avg', 128],
  ['4d', 96, 128, 192, 160, 192, 'avg', 128],
  ['4e', 0, 128, 192, 192, 256, 'max', 0],
  ['5a', 352, 192, 320, 160, 224, 'avg', 128],
  ['5b', 352, 192, 320, 192, 224, 'max', 128],
];

function bnInceptionPlan(se: SeSettings | null): Piece[] {
  const modules = BN_INCEPTION.map(
    ([name, c1, c3r, c3, c5r, c5, pool, pp]): Piece => ({
      kind: 'inception-block',
      prefix: `inception${name}.`,
      cfg: { widths: { c1, c3r, c3, c5r, c5, pp }, branch3: '3x3x2', pool, se, stride: c1 === 0 ? 2 : 1 },
    }),
  );
  return [
    { kind: 'conv-bn-relu', prefix: 'stem.', suffix: '1', cout: 64, k: 7, stride: 2 },
    { kind: 'pool', name: 'stem.pool1', pool: 'max', k: 3, stride: 2 },
    { kind: 'conv-bn-relu', prefix: 'stem.', suffix: '2', cout: 64, k: 1, stride: 1 },
    { kind: 'conv-bn-relu', prefix: 'stem.', suffix: '3', cout: 192, k: 3, stride: 1 },
    { kind: 'pool', name: 'stem.pool2', pool: 'max', k: 3, stride: 2 },
    ...modules,
    { kind: 'global-pool', name: 'avgpool' },
    { kind: 'linear', name: 'fc', out: CLASSES, bias: true },
  ];
}

/** The plan of a network spec. */
export function networkPlan(spec: NetworkSpec): Piece[] {
  const zoo = zooOf(spec);
  if (zoo !== undefined) return [{ kind: 'nodes', nodes: zoo.nodes({ se: hasSe(spec), reduction: spec.reduction ?? 0 }) }];
  const se = hasSe(spec) ? seSettingsOf(spec) : null;
  const plain = spec.model.replace(/^se-/, '');
  if (plain === 'bn-inception') return bnInceptionPlan(se);
  if (spec.layout === undefined) throw new Error(`${spec.model} has no layout`);
  return resnetPlan(RESNET_DEPTHS[plain as keyof typeof RESNET_DEPTHS], spec.layout, se, spec);
}
