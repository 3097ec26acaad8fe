// The field's networks: parameters against torchvision's published counts, one block of each
// family by hand, the CLI's names and refusals, and the tfjs cross-check on every layer.
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer, totalsOf, type Totals } from '../src/analyzers/count';
import { nodesOps } from '../src/analyzers/analytic/graph';
import { measure, measureModel } from '../src/analyzers/measured';
import type { Node } from '../src/model/layer-vocabulary';
import { nodesLayers } from '../src/modules/graph';
import { expectUsageError, seprofInProcess } from './support/cli';
import { specOf } from './support/grid';

const totals = (options: Record<string, string | number>): Totals => totalsOf(analyticOps(specOf(options)).map(countLayer));

/** The totals of the ops under one module path. */
function blockTotals(model: string, prefix: string, options: Record<string, string | number> = {}): Totals {
  return totalsOf(
    analyticOps(specOf({ model, ...options }))
      .filter((op) => op.name.startsWith(prefix))
      .map(countLayer),
  );
}

describe("parameters equal torchvision 0.14's published num_params (weights meta)", () => {
  it.each([
    ['mobilenet_v3_large', 5_483_032n],
    ['mobilenet_v3_small', 2_542_856n],
    ['efficientnet_b0', 5_288_548n],
    ['efficientnet_b1', 7_794_184n],
    ['efficientnet_b2', 9_109_994n],
    ['efficientnet_b3', 12_233_232n],
    ['efficientnet_b4', 19_341_616n],
    ['efficientnet_b5', 30_389_784n],
    ['efficientnet_b6', 43_040_704n],
    ['efficientnet_b7', 66_347_960n],
    ['efficientnet_v2_s', 21_458_488n],
    ['regnet_y_400mf', 4_344_144n],
    ['regnet_y_800mf', 6_432_512n],
    ['regnet_y_1_6gf', 11_202_430n],
    ['regnet_y_3_2gf', 19_436_338n],
    ['regnet_y_8gf', 39_381_472n],
    ['regnet_y_16gf', 83_590_140n],
    ['regnet_y_32gf', 145_046_770n],
    ['resnext50_32x4d', 25_028_904n],
    ['resnext101_32x8d', 88_791_336n],
    ['resnext101_64x4d', 83_455_272n],
  ])('%s: %d', (model, params) => {
    expect(totals({ model, height: 32, width: 32 }).params).toBe(params);
  });
});

/** Rounded like torchvision's meta: n / 10^9 to three decimals, trailing zeros dropped. */
const gigaRounded = (n: bigint): string => String(Number((n + 500_000n) / 1_000_000n) / 1000);

describe("torchvision's published GFLOPS (`_ops` in its weights' meta, pytorch/vision main) are seprof's macs", () => {
  it.each([
    ['mobilenet_v3_large', 224, '0.217'],
    ['mobilenet_v3_small', 224, '0.057'],
    ['efficientnet_b0', 224, '0.386'],
    ['efficientnet_b1', 240, '0.687'],
    ['efficientnet_b2', 288, '1.088'],
    ['efficientnet_b3', 300, '1.827'],
    ['efficientnet_b4', 380, '4.394'],
    ['efficientnet_b5', 456, '10.266'],
    ['efficientnet_b6', 528, '19.068'],
    ['efficientnet_b7', 600, '37.746'],
    ['efficientnet_v2_s', 384, '8.366'],
    ['regnet_y_400mf', 224, '0.402'],
    ['regnet_y_800mf', 224, '0.834'],
    ['regnet_y_1_6gf', 224, '1.612'],
    ['regnet_y_3_2gf', 224, '3.176'],
    ['regnet_y_8gf', 224, '8.473'],
    ['regnet_y_16gf', 224, '15.912'],
    ['regnet_y_16gf', 384, '46.735'], // the SWAG end-to-end weights' crop
    ['regnet_y_32gf', 224, '32.28'],
    ['regnet_y_32gf', 384, '94.826'],
    ['resnext50_32x4d', 224, '4.23'],
    ['resnext101_32x8d', 224, '16.414'],
    ['resnext101_64x4d', 224, '15.46'],
  ] as const)('%s at %d: %s', (model, size, gflops) => {
    expect(gigaRounded(totals({ model, height: size }).counts['macs'] ?? 0n)).toBe(gflops);
  });
});

describe('one block of each family, by hand (thop MACs and params; BN: 2 params and 4 thop MACs per element)', () => {
  it('MobileNetV3-Large features.4: 24 -> expand 72 -> depthwise 5x5 s2 -> SE(72, m 24, hardsigmoid) -> 40, on 56x56', () => {
    const [A, a] = [56n * 56n, 28n * 28n];
    const thop = 72n * 24n * A + 4n * 72n * A + 72n * 25n * a + 4n * 72n * a + (a + 1n) * 72n + 2n * 72n * 24n + 40n * 72n * a + 4n * 40n * a;
    const params = 24n * 72n + 2n * 72n + 72n * 25n + 2n * 72n + (2n * 72n * 24n + 24n + 72n) + 72n * 40n + 2n * 40n;
    const t = blockTotals('mobilenet_v3_large', 'features.4.');
    expect([t.params, t.counts['thop']]).toEqual([params, thop]);
  });

  it('EfficientNet-B0 features.2.1: 24 -> 144 -> depthwise 3x3 -> SE(144, m = 24 // 4 = 6, SiLU) -> 24 + x, on 56x56; ptflops counts SiLU per batch', () => {
    const S = 56n * 56n;
    const convs = 144n * 24n * S + 144n * 9n * S + 24n * 144n * S;
    const bn = 144n * S + 144n * S + 24n * S;
    const t = blockTotals('efficientnet_b0', 'features.2.1.', { batch: 2 });
    // thop: convs, BN, SE pool (S + 1) per output, both FCs; SiLU, sigmoid, scale, add: no rule.
    expect(t.counts['thop']).toBe(2n * (convs + 4n * bn + (S + 1n) * 144n + 2n * 144n * 6n));
    // ptflops at batch 2: module hooks per image, F.silu and F.adaptive_avg_pool2d whole batch.
    const modules = convs + 2n * bn + 144n * S + (144n * 6n + 6n) + (6n * 144n + 144n);
    const functionals = 2n * (144n * S + 144n * S + 6n) + 2n * 144n * S;
    expect(t.counts['ptflops']).toBe(modules + functionals);
    expect(t.params).toBe(24n * 144n + 144n * 9n + 24n * 144n + 2n * (144n + 144n + 24n) + 2n * 144n * 6n + 6n + 144n);
  });

  it('RegNetY-400MF block2-0: 48 -> 104, grouped 3x3 (13 groups of 8) s2, SE(104, m = round(48 / 4) = 12), projection, on 56x56', () => {
    const [A, a] = [56n * 56n, 28n * 28n];
    const convs = 104n * 48n * A + 104n * 8n * 9n * a + 104n * 104n * a + 104n * 48n * a;
    const bn = 104n * A + 104n * a + 104n * a + 104n * a;
    const t = blockTotals('regnet_y_400mf', 'trunk_output.block2.block2-0.');
    expect(t.counts['thop']).toBe(convs + 4n * bn + (a + 1n) * 104n + 2n * 104n * 12n);
    expect(t.counts['fvcore']).toBe(convs + 2n * bn + a * 104n + 2n * 104n * 12n);
    expect(t.params).toBe(104n * 48n + 104n * 8n * 9n + 104n * 104n + 104n * 48n + 2n * 4n * 104n + 2n * 104n * 12n + 12n + 104n);
  });

  it('ResNeXt-50 32x4d layer1.0: 64 -> width 128 (32 groups of 4) -> 256 with a downsample, on 56x56', () => {
    const S = 56n * 56n;
    const convs = 128n * 64n * S + 128n * 4n * 9n * S + 256n * 128n * S + 256n * 64n * S;
    const t = blockTotals('resnext50_32x4d', 'layer1.0.');
    expect(t.counts['macs']).toBe(convs);
    expect(t.counts['ptflops-aten']).toBe(convs);
    expect(t.params).toBe(128n * 64n + 128n * 4n * 9n + 256n * 128n + 256n * 64n + 2n * (128n + 128n + 256n + 256n));
  });

  it("Cadene's SE-ResNeXt-50 layer2.0: 256 -> width 256 (32 groups of 8) s2 on the 3x3 -> 512, SE(512, m 32) with bias, on 56x56", () => {
    const [A, a] = [56n * 56n, 28n * 28n];
    const convs = 256n * 256n * A + 256n * 8n * 9n * a + 512n * 256n * a + 512n * 256n * a;
    const t = blockTotals('se_resnext50_32x4d', 'layer2.0.');
    expect(t.counts['macs']).toBe(convs + 2n * 512n * 32n);
    // ptflops-aten: convolutions with the SE's biases.
    expect(t.counts['ptflops-aten']).toBe(convs + 2n * 512n * 32n + 32n + 512n);
    expect(t.params).toBe(256n * 256n + 256n * 8n * 9n + 512n * 256n + 512n * 256n + 2n * (256n + 256n + 512n + 512n) + 2n * 512n * 32n + 32n + 512n);
  });
});

describe('the CLI', () => {
  it('takes hyphens for underscores and prints what SE adds against the SE-free twin', async () => {
    const run = await seprofInProcess(['--model', 'EfficientNet-B0', '--no-measure', '--format', 'json']);
    const report = JSON.parse(run.stdout) as { spec: { model: string; input: { height: number } } };
    expect([report.spec.model, report.spec.input.height]).toEqual(['efficientnet_b0', 224]);
    const text = (await seprofInProcess(['--model', 'regnet_y_400mf', '--no-measure'])).stdout;
    expect(text).toMatch(/^regnet_y_400mf \(torchvision 0\.14; SE r=4: conv1x1\+bias, relu, sigmoid, m = round\(block in\/4\)\) on 1x3x224x224/);
    expect(text).toMatch(/SE overhead: against --model regnet_y_400mf, the same network without SE/);
  });

  it('defaults to the crop of the weights: 600 for efficientnet_b7, 384 for efficientnet_v2_s', async () => {
    expect((await seprofInProcess(['--model', 'efficientnet_b7', '--no-measure'])).stdout).toMatch(/ on 1x3x600x600\n/);
    expect((await seprofInProcess(['--model', 'efficientnet_v2_s', '--no-measure'])).stdout).toMatch(/ on 1x3x384x384\n/);
  });

  it.each([
    [['--model', 'efficientnet_b9'], /--model 'efficientnet_b9' is not a network seprof knows; did you mean efficientnet_b\d\? Known: .*regnet_y_32gf/],
    [['--model', 'mobilenetv3_large'], /did you mean mobilenet_v3_large\?/],
    [['--model', 'resnext50_32x4d', '--reduction', '8'], /--reduction does not apply to --model resnext50_32x4d, which has no SE/],
    [['--model', 'mobilenet_v3_small', '--bias'], /--bias does not apply to --model mobilenet_v3_small/],
    [['--model', 'regnet_y_800mf', '--layout', 'v1'], /--layout does not apply to --model regnet_y_800mf/],
    [['--model', 'se_resnext50_32x4d', '--height', '256', '--width', '224'], /cannot take a 256x224 input: .* layer4 must be 7x7/],
    [['--model', 'regnet_y_400mf', '--reduction', '97'], /SE on 48 channels at --reduction 97 has a hidden width of 0/],
    [['--model', 'resnet50', '--preset', 'cadene'], /--preset cadene applies to se_resnet50, se_resnet101, se_resnet152, not resnet50/],
    [['--model', 'se_resnet50', '--preset', 'timm'], /--preset must be one of cadene/],
  ])('refuses %j', async (args, message) => {
    expectUsageError(await seprofInProcess([...args, '--no-measure']), message);
  });
});

const once = { backend: 'wasm' } as const;

async function mismatches(options: Record<string, string | number>): Promise<string[]> {
  const spec = specOf(options);
  const measured = await measure(spec, once);
  const check = compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer));
  return [...check.mismatches.map((m) => `${options['model']}: ${JSON.stringify(m)}`), ...measured.unrecognised];
}

const HEAVY = process.env['SEPROF_HEAVY'] === '1';
const LIGHT: Record<string, string | number>[] = [
  { model: 'mobilenet_v3_large', height: 40, width: 33, batch: 2 },
  { model: 'mobilenet_v3_small', height: 32, width: 32 },
  { model: 'efficientnet_b0', height: 35, width: 32 },
  { model: 'efficientnet_v2_s', height: 32, width: 32 },
  { model: 'regnet_y_400mf', height: 32, width: 40, batch: 2 },
  { model: 'resnext50_32x4d', height: 32, width: 32 },
  // timm's port: its x.mean squeeze is read back as a reduce_mean, its head pools adaptively (any size).
  { model: 'legacy_seresnext50_32x4d', height: 64, width: 48 },
];
const HEAVY_CASES: Record<string, string | number>[] = [
  ...['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'].map((b) => ({ model: `efficientnet_${b}`, height: 32, width: 32 })),
  ...['800mf', '1_6gf', '3_2gf', '8gf', '16gf', '32gf'].map((s) => ({ model: `regnet_y_${s}`, height: 32, width: 32 })),
  { model: 'resnext101_32x8d', height: 32, width: 32 },
  { model: 'resnext101_64x4d', height: 32, width: 32 },
  { model: 'se_resnext50_32x4d', height: 224, width: 224 },
  { model: 'se_resnext101_32x4d', height: 224, width: 224 },
  { model: 'senet154', height: 224, width: 224 },
  { model: 'se_resnet101', preset: 'cadene', height: 224, width: 224 },
  { model: 'se_resnet50', preset: 'cadene', height: 197, width: 197 }, // odd stem map: ceil_mode pools like 'valid'
];

describe("timm's names: legacy_* are its ports of Cadene's SENets (timm/models/senet.py)", () => {
  // Cadene's depths per stage, SE on 4 * planes channels; at 224 the stages run at 56, 28, 14 and 7.
  const stages = (depths: readonly number[]): { blocks: number; c: number; hw: number }[] =>
    depths.map((blocks, s) => ({ blocks, c: 256 * 2 ** s, hw: (56 / 2 ** s) ** 2 }));
  /** Over every SE block: what a term per block sums to. */
  const overSe = (depths: readonly number[], term: (c: number, hw: number) => number): bigint =>
    BigInt(stages(depths).reduce((sum, { blocks, c, hw }) => sum + blocks * term(c, hw), 0));
  const HEAD = 49 * 2048; // the 7x7 head's input elements

  it.each([
    ['legacy_seresnet50', 'se_resnet50', [3, 4, 6, 3]],
    ['legacy_seresnet101', 'se_resnet101', [3, 4, 23, 3]],
    ['legacy_seresnet152', 'se_resnet152', [3, 8, 36, 3]],
    ['legacy_seresnext50_32x4d', 'se_resnext50_32x4d', [3, 4, 6, 3]],
    ['legacy_seresnext101_32x4d', 'se_resnext101_32x4d', [3, 4, 23, 3]],
    ['legacy_senet154', 'senet154', [3, 8, 36, 3]],
  ] as const)("%s: the layers of Cadene's %s; the peers count its squeeze and head as timm writes them", (timm, cadene, depths) => {
    const ours = totals({ model: timm });
    const theirs = totals({ model: cadene, ...(cadene.startsWith('se_resnet') ? { preset: 'cadene' } : {}) });
    expect(ours.params).toBe(theirs.params);
    expect(ours.counts['macs']).toBe(theirs.counts['macs']);
    // thop: no hook sees x.mean, where AdaptiveAvgPool2d(1) was (HW + 1) * C; timm's
    // AdaptiveAvgPool2d head is (49 + 1) * 2048 where Cadene's AvgPool2d(7) was 1 per output.
    expect(ours.counts['thop']).toBe((theirs.counts['thop'] ?? 0n) - overSe(depths, (c, hw) => (hw + 1) * c) + BigInt(HEAD));
    // fvcore: aten::mean is unsupported (0) where adaptive_avg_pool2d was numel(in); avg_pool2d has no handle, adaptive does.
    expect(ours.counts['fvcore']).toBe((theirs.counts['fvcore'] ?? 0n) - overSe(depths, (c, hw) => hw * c) + BigInt(HEAD));
    // ptflops: Tensor.mean is not patched, where the pool's module hook and the F.adaptive_avg_pool2d it
    // calls (patched) each counted numel(in); both heads are pools on numel(in), counted alike.
    expect(ours.counts['ptflops']).toBe((theirs.counts['ptflops'] ?? 0n) - overSe(depths, (c, hw) => 2 * hw * c));
  });

  it("takes any input size (its head pools adaptively), where Cadene's fixed 7x7 head refuses one", async () => {
    expect((await seprofInProcess(['--model', 'legacy_senet154', '--height', '256', '--width', '256', '--no-measure'])).code).toBe(0);
    expectUsageError(await seprofInProcess(['--model', 'senet154', '--height', '256', '--width', '256', '--no-measure']), /layer4 must be 7x7/);
  });

  it.each(['seresnet50', 'seresnext50_32x4d', 'seresnext101_32x8d'])(
    "refuses timm's resnet.py %s, which is none of seprof's networks, saying what is",
    async (name) => {
      expectUsageError(
        await seprofInProcess(['--model', name, '--no-measure']),
        new RegExp(`'${name}' is timm's resnet\\.py .*legacy_seresnet50.*export it to ONNX`),
      );
    },
  );
});

describe("Cadene's ceil_mode max pool in tfjs", () => {
  it.each([
    [9, 9],
    [10, 10],
  ])('pools a %dx%d map to the size PyTorch gives, read back per layer', async (height, width) => {
    const nodes: Node[] = [
      { kind: 'conv', name: 'conv', cout: 4, k: 3, stride: 1, groups: 1, bias: false },
      { kind: 'pool', name: 'pool', pool: 'max', k: 3, stride: 2, padding: 'ceil' },
    ];
    const analytic = nodesOps(nodes, [1, 2, height, width], 'input');
    const size = Math.ceil((height - 3) / 2) + 1; // ceil_mode, no padding
    expect(analytic[1]?.outputShape).toEqual([1, 4, size, size]);
    const build = (): tfl.LayersModel => {
      const x = tfl.input({ shape: [height, width, 2], name: 'input' });
      return tfl.model({ inputs: x, outputs: nodesLayers(nodes, x) });
    };
    const measured = await measureModel(build, [1, height, width, 2], once);
    expect(compareLayers(analytic.map(countLayer), measured.ops.map(countLayer)).mismatches).toEqual([]);
  });
});

describe('analytic equals measured on every layer', () => {
  it.each(LIGHT)(
    '$model at $height x $width',
    async (options) => {
      expect(await mismatches(options)).toEqual([]);
    },
    60_000,
  );

  it.runIf(HEAVY).each(HEAVY_CASES)(
    '$model at $height x $width (SEPROF_HEAVY=1)',
    async (options) => {
      expect(await mismatches(options)).toEqual([]);
    },
    600_000,
  );
});
