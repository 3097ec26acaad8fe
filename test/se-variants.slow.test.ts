// The field's SE variants: hidden-width rules against the widths torchvision builds, closed
// forms per convention, every variant option measured in tfjs, and the CLI's refusals.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { makeDivisible, roundHalfEven } from '../src/model/se-variants';
import { expectUsageError, seprof } from './support/cli';
import { product, specOf } from './support/grid';

describe('hidden-width rules', () => {
  it("_make_divisible(C // 4, 8) gives MobileNetV3-Large's SE widths (fc1 of 72, 120, 480, 672, 960 channels)", () => {
    // torchvision's model prints Conv2d(72, 24), Conv2d(120, 32), Conv2d(480, 120), Conv2d(672, 168), Conv2d(960, 240).
    expect([72, 120, 480, 672, 960].map((c) => makeDivisible(Math.floor(c / 4), 8))).toEqual([24, 32, 120, 168, 240]);
    expect(makeDivisible(4, 8)).toBe(8); // never below the divisor
  });

  it("round(n / r) rounds ties to even, like Python's round", () => {
    expect([10, 14, 6, 2, 5].map((n) => roundHalfEven(n, 4))).toEqual([2, 4, 2, 0, 1]); // 2.5, 3.5, 1.5, 0.5, 1.25
  });
});

describe('closed forms of conv1x1 SE with bias on C channels, hidden m, S = H*W, batch B', () => {
  const [B, C, H, W, m] = [3n, 40n, 5n, 6n, 10n];
  const S = H * W;
  const totals = (activation: string) =>
    totalsOf(
      analyticOps(
        specOf({ channels: 40, reduction: 4, height: 5, width: 6, batch: 3, bias: true, seFc: 'conv1x1', seActivation: activation, seGate: 'hardsigmoid' }),
      ).map(countLayer),
    );

  it('relu inside: params 2Cm + m + C; thop and fvcore ignore the bias; ptflops and aten count it', () => {
    const t = totals('relu');
    expect(t.params).toBe(2n * C * m + m + C);
    expect(t.counts['thop']).toBe(B * C * (S + 1n) + 2n * B * C * m);
    expect(t.counts['fvcore']).toBe(B * C * S + 2n * B * C * m);
    // module hooks per image: pool C*S, fc1 C*m + m, relu m, fc2 m*C + C; functionals per batch: pool B*C*S, relu B*m.
    expect(t.counts['ptflops']).toBe(C * S + C * m + m + m + m * C + C + B * C * S + B * m);
    expect(t.counts['ptflops-aten']).toBe(B * (2n * C * m + m + C));
  });

  it('silu inside: ptflops counts only F.silu, per batch; hardswish: nothing', () => {
    expect(totals('silu').counts['ptflops']).toBe(C * S + C * m + m + m * C + C + B * C * S + B * m);
    expect(totals('hardswish').counts['ptflops']).toBe(C * S + C * m + m + m * C + C + B * C * S);
    expect(totals('hardswish').counts['flops']).toBe(B * C * S + 2n * B * (2n * C * m) + B * (m + C) + 5n * B * m + 4n * B * C + B * C * S);
  });
});

const once = { backend: 'wasm' } as const;

async function mismatches(options: Record<string, string | number | boolean>): Promise<string[]> {
  const spec = specOf(options);
  const measured = await measure(spec, once);
  const check = compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer));
  return [...check.mismatches.map((m) => `${JSON.stringify(options)}: ${JSON.stringify(m)}`), ...measured.unrecognised];
}

describe('every variant option, analytic equals measured on every layer', () => {
  const grid = product({
    seFc: ['linear', 'conv1x1'],
    seActivation: ['relu', 'silu', 'hardswish'],
    seGate: ['sigmoid', 'hardsigmoid'],
    seHidden: ['floor', 'divisible:8', 'of:20', 'round-of:10', '7'],
    bias: [false, true],
  });

  it('on SE modules', async () => {
    const failures: string[] = [];
    for (const [i, variant] of grid.entries()) {
      const shape = { channels: 12 + (i % 3) * 8, height: 1 + (i % 4), width: 3, batch: 1 + (i % 2) };
      failures.push(...(await mismatches({ ...variant, ...shape, ...(variant.seHidden === '7' ? {} : { reduction: 4 }) })));
    }
    expect(grid.length).toBe(120);
    expect(failures).toEqual([]);
  });

  it('in SE-ResNet and SE-Inception blocks', async () => {
    const variant = { seFc: 'conv1x1', seActivation: 'hardswish', seGate: 'hardsigmoid', seHidden: 'divisible:8', reduction: 4, bias: true };
    const resnet = { block: 'se-resnet', channels: 32, planes: 8, stride: 2, height: 7, width: 6, batch: 2 };
    const inception = { block: 'se-inception', channels: 16, widths: '8,8,8,4,4,4', height: 5, width: 5 };
    const failures = [
      ...(await mismatches({ ...resnet, ...variant })),
      ...(await mismatches({ ...resnet, ...variant, sePosition: 'pre' })),
      ...(await mismatches({ ...inception, ...variant, seFc: 'linear', seActivation: 'silu' })),
    ];
    expect(failures).toEqual([]);
  });
});

describe('the CLI', () => {
  it('says which SE in the title line', () => {
    const run = seprof([
      '--channels',
      '96',
      '--reduction',
      '4',
      '--se-fc',
      'conv1x1',
      '--bias',
      '--se-hidden',
      'divisible:8',
      '--se-gate',
      'hardsigmoid',
      '--no-measure',
    ]);
    expect(run.stdout.split('\n')[0]).toBe('SEAttention(96, r=4, conv1x1+bias, relu, hardsigmoid, m = _make_divisible(C//4, 8)) on 1x96x7x7 · hidden width 24');
  });

  it('takes the variant at insertion points', () => {
    const run = seprof([
      '--at',
      '96x7x7',
      '--at',
      '40x14x14',
      '--reduction',
      '4',
      '--se-hidden',
      'divisible:8',
      '--se-fc',
      'conv1x1',
      '--no-measure',
      '--format',
      'csv',
    ]);
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .split('\n')
        .slice(1, 3)
        .map((line) => line.split(',').slice(0, 2).join()),
    ).toEqual(['96x7x7,24', '40x14x14,16']);
  });

  it.each([
    [['--channels', '8', '--se-hidden', 'of:2', '--reduction', '4', '--se-hidden', 'round-of:1'], /hidden width of 0/],
    [['--channels', '8', '--se-hidden', '4', '--reduction', '2'], /--reduction does not apply to an explicit --se-hidden width/],
    [['--channels', '8', '--se-hidden', 'ceil'], /--se-hidden takes floor, divisible:D, of:N, round-of:N or a width/],
    [['--channels', '8', '--se-gate', 'hard-sigmoid'], /--se-gate must be one of sigmoid, hardsigmoid/],
    [['--block', 'resnet', '--channels', '8', '--planes', '2', '--se-fc', 'conv1x1'], /--se-fc does not apply to --block resnet, which has no SE/],
    [['--model', 'resnet50', '--se-activation', 'silu'], /--se-activation does not apply to --model resnet50/],
  ])('refuses %j', (args, message) => {
    expectUsageError(seprof([...args, '--no-measure']), message);
  });
});
