// Grids of hybrid block configurations shared by the block tests.
import type { InceptionBlockSpec, ResNetBlockSpec } from '../../src/model/spec';
import { product, specOf } from './grid';

export const resnetGrid = [
  ...product({
    block: ['se-resnet', 'resnet'],
    kind: ['bottleneck'],
    channels: [8, 32], // 32 = 4P: identity shortcut when stride 1
    planes: [8],
    stride: [1, 2],
    strideOn: ['1x1', '3x3'],
    sePosition: ['standard', 'pre', 'post', 'identity'],
    bias: [false, true],
    batch: [1, 2],
  }),
  ...product({
    block: ['se-resnet', 'resnet'],
    kind: ['basic'],
    channels: [8, 16],
    planes: [16],
    stride: [1, 2],
    strideOn: [undefined],
    sePosition: ['standard', 'pre', 'post', 'identity'],
    bias: [false, true],
    batch: [1, 3],
  }),
]
  // A plain twin has no SE options; keep one of each.
  .filter((c) => c.block === 'se-resnet' || (c.sePosition === 'standard' && !c.bias))
  .map(({ block, sePosition, bias, ...rest }) =>
    specOf({ block, ...rest, height: 7, width: 6, ...(block === 'se-resnet' && { sePosition, bias, reduction: 4 }) }),
  ) as ResNetBlockSpec[];

export const inceptionGrid = product({
  block: ['se-inception', 'inception'],
  branch3: ['5x5', '3x3x2'],
  pool: ['max', 'avg'],
  widths: ['4,4,8,2,4,4', '8,6,8,4,6,2'],
  size: [
    [5, 5],
    [6, 4],
  ] as [number, number][],
  batch: [1, 2],
}).map(({ block, size: [height, width], ...rest }) =>
  specOf({ block, channels: 6, height, width, ...rest, ...(block === 'se-inception' && { reduction: 2 }) }),
) as InceptionBlockSpec[];
