// Whole networks: ResNet-50 by hand, the depth tree, BN-Inception's shapes, and the CLI.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { treeRows } from '../src/report/profile/rows';
import { expectUsageError, seprof, seprofInProcess } from './support/cli';
import { specOf } from './support/grid';

/** ResNet-50 at 224x224, batch 1, derived by hand stage by stage. */
function resnet50ByHand(layout: 'v1' | 'v1.5') {
  let params = 3n * 64n * 49n + 2n * 64n; // stem conv + BN
  let macs = 112n * 112n * 64n * 3n * 49n;
  let bnElements = 64n * 112n * 112n;
  let reluElements = 64n * 112n * 112n;
  let addElements = 0n;
  const maxpoolOut = 64n * 56n * 56n;
  let cin = 64n;
  let size = 56n;
  for (const [stage, blocks] of [3, 4, 6, 3].entries()) {
    const P = 64n * 2n ** BigInt(stage);
    for (let i = 0; i < blocks; i++) {
      const stride = i === 0 && stage > 0 ? 2n : 1n;
      const out = size / stride;
      const conv1Size = layout === 'v1' ? out : size; // v1 strides the first 1x1
      macs += cin * P * conv1Size ** 2n + 9n * P * P * out ** 2n + 4n * P * P * out ** 2n;
      params += cin * P + 9n * P * P + 4n * P * P + 2n * (P + P + 4n * P);
      bnElements += P * conv1Size ** 2n + P * out ** 2n + 4n * P * out ** 2n;
      reluElements += P * conv1Size ** 2n + P * out ** 2n + 4n * P * out ** 2n; // two in the branch, one after the sum
      addElements += 4n * P * out ** 2n;
      if (i === 0) {
        macs += cin * 4n * P * out ** 2n;
        params += cin * 4n * P + 2n * 4n * P;
        bnElements += 4n * P * out ** 2n;
      }
      cin = 4n * P;
      size = out;
    }
  }
  const pooled = 2048n * 7n * 7n;
  const fcMacs = 2048n * 1000n;
  params += fcMacs + 1000n;
  return {
    params,
    macs: macs + fcMacs,
    // thop: BN 4 per element, global pool (H*W + 1) per output, max pool and ReLU 0.
    thop: macs + fcMacs + 4n * bnElements + 50n * 2048n,
    // flops: 2 per MAC, fc bias, BN 2, ReLU 1, add 1, max pool 8 comparisons per output, global pool H*W per output.
    flops: 2n * (macs + fcMacs) + 1000n + 2n * bnElements + reluElements + addElements + 8n * maxpoolOut + pooled,
  };
}

describe.each(['v1', 'v1.5'] as const)('ResNet-50 %s', (layout) => {
  const totals = totalsOf(analyticOps(specOf({ model: 'resnet50', layout })).map(countLayer));
  const hand = resnet50ByHand(layout);

  it('has the parameters and counts derived by hand', () => {
    expect(totals.params).toBe(hand.params);
    expect(totals.counts['macs']).toBe(hand.macs);
    expect(totals.counts['thop']).toBe(hand.thop);
    expect(totals.counts['flops']).toBe(hand.flops);
  });
});

describe('ResNet-50 v1.5', () => {
  it("has torchvision's 25,557,032 parameters", () => {
    expect(totalsOf(analyticOps(specOf({ model: 'resnet50' })).map(countLayer)).params).toBe(25_557_032n);
  });

  it('adds sum over blocks of 2*C*C/16 parameters with SE', () => {
    const plain = totalsOf(analyticOps(specOf({ model: 'resnet50' })).map(countLayer)).params;
    const se = totalsOf(analyticOps(specOf({ model: 'se-resnet50' })).map(countLayer)).params;
    const blocks: [number, number][] = [
      [3, 256],
      [4, 512],
      [6, 1024],
      [3, 2048],
    ];
    expect(se - plain).toBe(blocks.reduce((sum, [n, c]) => sum + BigInt(n * 2 * c * (c / 16)), 0n));
  });
});

describe('BN-Inception', () => {
  const ops = analyticOps(specOf({ model: 'se-bn-inception' }));
  const shapeOf = (name: string) => ops.find((op) => op.name === name)?.outputShape;

  it('follows the SENet release: module widths and grid sizes at 224x224', () => {
    expect(shapeOf('stem.pool2')).toEqual([1, 192, 28, 28]);
    expect(shapeOf('inception3a.concat')).toEqual([1, 256, 28, 28]);
    expect(shapeOf('inception3c.concat')).toEqual([1, 576, 14, 14]); // 160 + 96 + 320 passed through the pool
    expect(shapeOf('inception4e.concat')).toEqual([1, 1056, 7, 7]); // 192 + 256 + 608
    expect(shapeOf('inception5b.se.scale')).toEqual([1, 1024, 7, 7]);
    expect(shapeOf('fc')).toEqual([1, 1000]);
  });

  it('puts SE with r = 16 after every module', () => {
    const hidden = ops.filter((op) => op.name.endsWith('.se.fc1')).map((op) => op.outputShape[1]);
    expect(hidden).toEqual([16, 20, 36, 36, 36, 38, 38, 66, 64, 64]);
  });
});

describe('depth tree', () => {
  const layers = analyticOps(specOf({ model: 'se-resnet50' })).map(countLayer);
  const total = totalsOf(layers);

  it('sums each depth to the whole network', () => {
    for (const depth of [1, 2, 3]) {
      const top = treeRows(layers, depth).filter((row) => row.depth === 1);
      expect(top.reduce((sum, row) => sum + row.params, 0n)).toBe(total.params);
      expect(top.reduce((sum, row) => sum + (row.counts['thop'] ?? 0n), 0n)).toBe(total.counts['thop']);
    }
  });

  it('lists stem, stages, pool and classifier at depth 1, blocks at depth 2', () => {
    const rows = treeRows(layers, 2);
    expect(rows.filter((r) => r.depth === 1).map((r) => r.name)).toEqual(['stem', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'fc']);
    expect(rows.filter((r) => r.depth === 2 && r.name.startsWith('layer3.')).length).toBe(6);
  });
});

describe('seprof --model se-resnet50', () => {
  const run = seprof(['--model', 'se-resnet50', '--top', '3']);

  it('prints the tree, the overhead summary and a measured match', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ layer3\s+│ \d+ ops/);
    expect(run.stdout).toMatch(/│ {3}layer3\.5\s+│/);
    expect(run.stdout).toContain('SE overhead: against --model resnet50, the same network without SE');
    expect(run.stdout).toMatch(/│ params\s+│\s+25,557,032 │\s+28,071,976 │\s+2,514,944 │/);
    expect(run.stdout).toMatch(/Check:\s+analytic and measured agree on every layer \(270 layers/);
    expect(run.stdout).toContain('Top 3 layers by MACs (thop)');
  });
});

describe('seprof paper', () => {
  const run = seprof(['paper', '--json']);
  interface Row {
    model: string;
    label: string;
    paperGflops: number;
    source: string;
    counts: Record<string, number>;
  }
  const doc = JSON.parse(run.stdout) as {
    best: { key: string; reproduced: number; of: number };
    flops: Row[];
    params: { label: string; paperMillions: number; params: number }[];
    seShares: { label: string; paperPercent: number; added: number; plain: number }[];
  };
  const flopsOf = (label: string) => doc.flops.find((f) => f.label === label);
  const paramsOf = (label: string) => BigInt(doc.params.find((p) => p.label === label)?.params ?? 0);
  const resnet50Params = resnet50ByHand('v1').params;
  // Eq. 5 of the paper: SE adds (2 / r) * sum over stages of N_s * C_s^2 (no biases).
  const seParams = (stages: number[], widths = [256n, 512n, 1024n, 2048n]) =>
    stages.reduce((sum, s) => sum + (2n * BigInt([3, 4, 6, 3][s - 1] ?? 0) * (widths[s - 1] ?? 0n) ** 2n) / 16n, 0n);

  it('sets published figures beside seprof counts and names the convention that reproduces most', () => {
    expect(run.code).toBe(0);
    const resnet50 = flopsOf('resnet50');
    expect(resnet50?.paperGflops).toBe(3.86);
    expect(BigInt(resnet50?.counts['macs v1'] ?? 0)).toBe(resnet50ByHand('v1').macs);
    expect(doc.best.key).toBe('senet v1');
    expect(doc.best.of).toBe(16);
    expect(doc.best.reproduced).toBeGreaterThanOrEqual(9);
  });

  it("has Table 2's SE-ResNeXts, the ResNeXt-101 being SE-ResNeXt-101's SE-free twin", () => {
    expect(flopsOf('resnext50_32x4d')?.paperGflops).toBe(4.24);
    expect(flopsOf('se_resnext50_32x4d')?.paperGflops).toBe(4.25);
    const plain = flopsOf('se_resnext101_32x4d without SE');
    const se = flopsOf('se_resnext101_32x4d');
    expect([plain?.paperGflops, se?.paperGflops]).toEqual([7.99, 8.0]);
    // SE's two 1x1 convs on a 1x1 map: 2 * C * C/16 MACs per block, blocks [3, 4, 23, 3].
    const seMacs = (2n * (3n * 256n ** 2n + 4n * 512n ** 2n + 23n * 1024n ** 2n + 3n * 2048n ** 2n)) / 16n;
    expect(BigInt(se?.counts['macs -'] ?? 0) - BigInt(plain?.counts['macs -'] ?? 0)).toBe(seMacs);
  });

  it("maps the paper's stages (Table 1's conv2_x to conv5_x) onto --se-stages 1 to 4", () => {
    expect(flopsOf('se-resnet50 --se-stages 1')?.source).toBe('Table 13, SE Stage 2');
    for (const stage of [1, 2, 3]) expect(paramsOf(`se-resnet50 --se-stages ${stage}`)).toBe(resnet50Params + seParams([stage]));
    // senet: MACs, one op per element for global pooling (the head's and each SE's) and for SE's rescale.
    const stage1 = flopsOf('se-resnet50 --se-stages 1');
    const perBlock = 2n * 256n * 16n + 2n * 256n * 56n * 56n;
    expect(BigInt(stage1?.counts['senet v1'] ?? 0)).toBe(resnet50ByHand('v1').macs + 2048n * 7n * 7n + 3n * perBlock);
    expect(paramsOf('se-resnet50 --se-position 3x3')).toBe(resnet50Params + seParams([1, 2, 3, 4], [64n, 128n, 256n, 512n]));
  });

  it("gives Sec. 4's shares: ~10% for SE everywhere, ~4% without the final stage", () => {
    const [whole, withoutLast] = doc.seShares;
    expect(BigInt(whole?.added ?? 0)).toBe(seParams([1, 2, 3, 4]));
    expect(BigInt(withoutLast?.added ?? 0)).toBe(seParams([1, 2, 3]));
    expect(BigInt(withoutLast?.plain ?? 0)).toBe(resnet50Params);
    expect(withoutLast?.paperPercent).toBe(4);
  });

  it('prints a table and says what it leaves out', async () => {
    const table = await seprofInProcess(['paper']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ se-resnet50\s+│ Table 2, 13, 15, 16\s+│\s+3\.87 │/);
    expect(table.stdout).toMatch(/│ se-resnet50 --se-stages 3\s+│ Table 13, SE Stage 4 │\s+26\.4M │ 26,343,464 │/);
    expect(table.stdout).toContain('SENet-154, for which the paper gives error rates only (Table 8)');
  });
});

describe('network mistakes: one line, exit 2', () => {
  it.each([
    [['--model', 'vgg16'], /--model 'vgg16' is not a network seprof knows\. Known: resnet50, .*, senet154/],
    [['--model', 'resnet50', '--reduction', '8'], /--reduction does not apply to --model resnet50, which has no SE/],
    [['--model', 'se-resnet50', '--channels', '3'], /--channels does not apply to --model se-resnet50/],
    [['--model', 'bn-inception', '--layout', 'v1'], /--layout applies to ResNets/],
    [['--model', 'resnet50', '--layout', 'v2'], /--layout must be one of v1, v1.5/],
    [['--channels', '64', '--layout', 'v1'], /--layout applies to --model networks/],
    [['--model', 'resnet50', '--depth', '0'], /--depth must be at least 1/],
  ])('%s', async (args, message) => {
    expectUsageError(await seprofInProcess([...args, '--no-measure']), message);
  });
});

describe('networks measured in tfjs', () => {
  it.each([[{ model: 'se-bn-inception', bias: true }], [{ model: 'resnet152', layout: 'v1' }]])(
    '%o agrees with the analytic ops on every layer',
    async (options) => {
      const spec = specOf(options);
      const measured = await measure(spec, { backend: 'wasm' });
      const check = compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer));
      expect(check.mismatches.slice(0, 5)).toEqual([]);
      expect(measured.unrecognised).toEqual([]);
      expect(check.status).toBe('match');
    },
  );
});
