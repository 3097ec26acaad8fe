// The networks people run, spelled as torchvision, Cadene and timm spell them: one entry each, with
// its source, default input size, SE and plan. `--model` names are matched with hyphens and
// underscores alike.
import type { Node } from '../layer-vocabulary';
import { EFFICIENTNET_B, efficientnetB, efficientnetV2S } from './efficientnet';
import { mobilenetV3 } from './mobilenet';
import type { NetOptions } from './options';
import { REGNET_Y, regnetY } from './regnet';
import { RESNEXT, resnext } from './resnext';
import { CADENE, cadeneSenet, TIMM_LEGACY } from './senet';

export type { NetOptions } from './options';

export interface ZooNetwork {
  /** Where the definition was read. */
  source: string;
  /** The crop of the pretrained weights' evaluation transforms. */
  size: number;
  /** Its SE in words and its default reduction r, or null for a network without SE. */
  se: { words: (r: number) => string; reduction: number } | null;
  nodes(options: NetOptions): Node[];
  /** Why PyTorch could not run an H x W input, or undefined when it can. */
  refuseSize?(height: number, width: number): string | undefined;
}

const TORCHVISION = 'torchvision 0.14';
const CADENE_SOURCE = "Cadene's pretrainedmodels senet.py";
const TIMM_SOURCE = "timm's senet.py (Cadene's, ported)";

const MOBILENET_SE = { words: (r: number) => `conv1x1+bias, relu, hardsigmoid, m = _make_divisible(C//${r}, 8)`, reduction: 4 };
const EFFICIENTNET_SE = { words: (r: number) => `conv1x1+bias, silu, sigmoid, m = max(1, block in//${r})`, reduction: 4 };
const REGNET_SE = { words: (r: number) => `conv1x1+bias, relu, sigmoid, m = round(block in/${r})`, reduction: 4 };
const CADENE_SE = { words: (r: number) => `conv1x1+bias, relu, sigmoid, m = floor(C/${r})`, reduction: 16 };
const TIMM_SE = { words: (r: number) => `x.mean, conv1x1+bias, relu, sigmoid, m = floor(C/${r})`, reduction: 16 };

/** Cadene's head is AvgPool2d(7, stride=1) then Linear(2048): layer4 must be 7x7. */
function cadeneSize(height: number, width: number): string | undefined {
  const layer4 = (n: number): number => {
    const pooled = Math.ceil((Math.ceil(n / 2) - 3) / 2) + 1; // stem stride 2, then MaxPool2d(3, 2, ceil_mode)
    return Math.ceil(Math.ceil(Math.ceil(pooled / 2) / 2) / 2);
  };
  if (layer4(height) === 7 && layer4(width) === 7) return undefined;
  return `its head is AvgPool2d(7) then Linear(2048, 1000), so layer4 must be 7x7; ${height}x${width} gives ${layer4(height)}x${layer4(width)} (try 224)`;
}

const entries: [string, ZooNetwork][] = [
  ['mobilenet_v3_large', { source: TORCHVISION, size: 224, se: MOBILENET_SE, nodes: (o) => mobilenetV3('large', o) }],
  ['mobilenet_v3_small', { source: TORCHVISION, size: 224, se: MOBILENET_SE, nodes: (o) => mobilenetV3('small', o) }],
  ...Object.entries(EFFICIENTNET_B).map(([variant, { crop }]): [string, ZooNetwork] => [
    `efficientnet_${variant}`,
    {
      source: TORCHVISION,
      size: crop,
      se: EFFICIENTNET_SE,
      nodes: (o) => efficientnetB(variant as keyof typeof EFFICIENTNET_B, o),
    },
  ]),
  [
    'efficientnet_v2_s',
    {
      source: TORCHVISION,
      size: 384,
      se: EFFICIENTNET_SE,
      nodes: efficientnetV2S,
    },
  ],
  ...Object.keys(REGNET_Y).map((size): [string, ZooNetwork] => [
    `regnet_y_${size}`,
    {
      source: TORCHVISION,
      size: 224,
      se: REGNET_SE,
      nodes: (o) => regnetY(size, o),
    },
  ]),
  ...Object.keys(RESNEXT).map((name): [string, ZooNetwork] => [
    name,
    { source: TORCHVISION, size: 224, se: null, nodes: () => resnext(name as keyof typeof RESNEXT) },
  ]),
  ...Object.keys(CADENE).map((name): [string, ZooNetwork] => [
    name,
    { source: CADENE_SOURCE, size: 224, se: CADENE_SE, nodes: (o) => cadeneSenet(name as keyof typeof CADENE, o), refuseSize: cadeneSize },
  ]),
  ...Object.entries(TIMM_LEGACY).map(([name, cadene]): [string, ZooNetwork] => [
    name,
    { source: TIMM_SOURCE, size: 224, se: TIMM_SE, nodes: (o) => cadeneSenet(cadene, o, 'timm') },
  ]),
];

export const ZOO: ReadonlyMap<string, ZooNetwork> = new Map(entries);

/** Cadene's SE-ResNets share their names with seprof's own: they need `--preset cadene`. */
export const PRESET_ONLY: ReadonlySet<string> = new Set(['se_resnet50', 'se_resnet101', 'se_resnet152']);
