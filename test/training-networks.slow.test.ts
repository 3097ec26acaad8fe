// --training on whole networks and on every shipped block: measured on wasm, never on a
// fallback backend, and the per-layer backward check passes (the other networks: .long).
import { describe, expect, it } from 'vitest';
import { totalsOf } from '../src/analyzers/count';
import { specOf } from './support/grid';
import { expectTrainsOnWasm, watchStderr } from './support/training';

watchStderr();

// At 64x64: the check is per layer and size-free; `npm run bench` runs it at 224x224 against PyTorch.
describe('se-resnet50 --training, at 64x64', () => {
  it('runs on wasm and passes the per-layer backward check', async () => {
    const { layers, rows } = await expectTrainsOnWasm(specOf({ model: 'se-resnet50', height: 64 }));
    // By hand: the stem's 7x7 convolution, 32*32 outputs x 64 x 7*7*3, twice (input and weights).
    expect(rows['stem.conv1']?.['macs']).toBe(2n * 32n * 32n * 64n * 147n);
    // Every multiply-accumulate of the backward pass belongs to a convolution or a linear layer,
    // each twice its forward; the SE excitations are two 1x1 products of C x C/16 per block.
    const forwardMacs = totalsOf(layers).counts['macs'] ?? 0n;
    const backwardMacs = Object.values(rows).reduce((sum, counts) => sum + (counts['macs'] ?? 0n), 0n);
    expect(backwardMacs).toBe(2n * forwardMacs);
    const stages: [bigint, bigint][] = [
      [3n, 256n],
      [4n, 512n],
      [6n, 1024n],
      [3n, 2048n],
    ];
    const seMacs = stages.reduce((sum, [blocks, c]) => sum + blocks * 2n * c * (c / 16n), 0n);
    const seBackward = Object.entries(rows)
      .filter(([name]) => /\.se\.fc[12]$/.test(name))
      .reduce((sum, [, counts]) => sum + (counts['macs'] ?? 0n), 0n);
    expect(seBackward).toBe(2n * seMacs);
  });
});

describe('mobilenet_v3_small --training, at 32x32', () => {
  it('runs on wasm, with the depthwise convolutions costed by hand', async () => {
    const { rows } = await expectTrainsOnWasm(specOf({ model: 'mobilenet_v3_small', height: 32 }));
    // features.1's 3x3 depthwise conv, stride 2: 8*8 outputs x 16 channels x 9 taps, twice (input and weights).
    expect(rows['features.1.block.0.0']?.['macs']).toBe(2n * 64n * 16n * 9n);
  });
});

describe('no shipped block falls back from wasm for --training', () => {
  // The shipped networks: training-networks.long.
  const blocks = [
    specOf({ channels: 16, reduction: 4, bias: true }),
    ...['standard', 'pre', 'post', 'identity'].flatMap((sePosition) =>
      ['bottleneck', 'basic'].flatMap((kind) =>
        [1, 2].map((stride) => specOf({ block: 'se-resnet', kind, channels: 16, planes: 8, stride, reduction: 4, sePosition, height: 8 })),
      ),
    ),
    specOf({ block: 'resnet', channels: 16, planes: 8, stride: 2, height: 8 }),
    specOf({ block: 'resnet', kind: 'basic', channels: 8, planes: 8, height: 8 }),
    ...['5x5', '3x3x2'].flatMap((branch3) =>
      ['max', 'avg'].flatMap((pool) => [
        specOf({ block: 'se-inception', channels: 12, widths: '4,4,6,2,3,4', branch3, pool, reduction: 4, height: 8 }),
        specOf({ block: 'inception', channels: 12, widths: '4,4,6,2,3,4', branch3, pool, height: 8 }),
      ]),
    ),
  ];

  it.each(blocks.map((spec) => [JSON.stringify(spec), spec] as const))('%s', async (_, spec) => {
    await expectTrainsOnWasm(spec);
  });
});
