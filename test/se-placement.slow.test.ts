// Where SE goes in a whole SE-ResNet: chosen stages only, every position of the paper, and
// SE_3x3 after the bottleneck's 3x3 conv. Parameters by hand; the tfjs check on every layer.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { expectUsageError, seprof } from './support/cli';
import { specOf } from './support/grid';

const params = (options: Record<string, string | number>): bigint => totalsOf(analyticOps(specOf(options)).map(countLayer)).params;
const seParams = (c: bigint): bigint => 2n * c * (c / 16n);

/** ResNet-50's stages: blocks, bottleneck width P, block input channels of block 0 and the rest. */
const STAGES = [
  { blocks: 3n, planes: 64n, firstIn: 64n },
  { blocks: 4n, planes: 128n, firstIn: 256n },
  { blocks: 6n, planes: 256n, firstIn: 512n },
  { blocks: 3n, planes: 512n, firstIn: 1024n },
];

describe('SE-ResNet-50 with SE placed otherwise: what SE adds, by hand', () => {
  const plain = params({ model: 'resnet50' });

  it('stages 2 and 3 only: their blocks get SE on 4P channels', () => {
    const added = [STAGES[1], STAGES[2]].reduce((sum, s) => sum + (s?.blocks ?? 0n) * seParams(4n * (s?.planes ?? 0n)), 0n);
    expect(params({ model: 'se-resnet50', seStages: '2,3' }) - plain).toBe(added);
  });

  it('SE_3x3: SE on the P channels after the 3x3 conv', () => {
    expect(params({ model: 'se-resnet50', sePosition: '3x3' }) - plain).toBe(STAGES.reduce((sum, s) => sum + s.blocks * seParams(s.planes), 0n));
  });

  it('SE-PRE: SE on each block input', () => {
    const added = STAGES.reduce((sum, s) => sum + seParams(s.firstIn) + (s.blocks - 1n) * seParams(4n * s.planes), 0n);
    expect(params({ model: 'se-resnet50', sePosition: 'pre' }) - plain).toBe(added);
  });

  it('SE-POST and SE-Identity cost what the standard SE does (same channel counts)', () => {
    const standard = params({ model: 'se-resnet50' });
    expect([params({ model: 'se-resnet50', sePosition: 'post' }), params({ model: 'se-resnet50', sePosition: 'identity' })]).toEqual([standard, standard]);
  });
});

describe('an SE_3x3 bottleneck block, by hand', () => {
  it('adds SE on P channels of the 3x3 output: 2*P*m params, B*P*(S+1) + 2*B*P*m thop MACs', () => {
    const shape = { channels: 64, planes: 32, stride: 2, height: 10, width: 9, batch: 2 };
    const totals = (o: Record<string, string | number>) => totalsOf(analyticOps(specOf(o)).map(countLayer));
    const [withSe, plain] = [totals({ ...shape, block: 'se-resnet', reduction: 8, sePosition: '3x3' }), totals({ ...shape, block: 'resnet' })];
    const [B, P, m, S] = [2n, 32n, 4n, 5n * 5n]; // stride 2 on the 3x3: 10x9 -> 5x5
    expect(withSe.params - plain.params).toBe(2n * P * m);
    expect((withSe.counts['thop'] ?? 0n) - (plain.counts['thop'] ?? 0n)).toBe(B * P * (S + 1n) + 2n * B * P * m);
  });
});

describe('measured in tfjs, every layer', () => {
  const once = { backend: 'wasm' } as const;
  it.each([
    { block: 'se-resnet', channels: 24, planes: 16, stride: 2, reduction: 4, sePosition: '3x3', height: 9, width: 8, batch: 2 },
    { model: 'se-resnet50', sePosition: '3x3', seStages: '2,4', height: 32, width: 32 },
    { model: 'se-resnet50', sePosition: 'identity', seStages: '1', layout: 'v1', height: 40, width: 32, batch: 2 },
  ])(
    '%j',
    async (options) => {
      const spec = specOf(options);
      const measured = await measure(spec, once);
      expect(compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer)).mismatches).toEqual([]);
      expect(measured.unrecognised).toEqual([]);
    },
    60_000,
  );
});

describe('the CLI', () => {
  it.each([
    [['--model', 'se-resnet50', '--se-stages', '0'], /--se-stages must be at least 1/],
    [['--model', 'se-resnet50', '--se-stages', '2,5'], /--se-stages takes stages 1 to 4/],
    [['--model', 'se-bn-inception', '--se-position', 'pre'], /--se-position applies to ResNets, not se-bn-inception/],
    [['--model', 'resnet101', '--se-stages', '2'], /--se-stages does not apply to --model resnet101, which has no SE/],
    [['--block', 'se-resnet', '--kind', 'basic', '--channels', '8', '--planes', '8', '--se-position', '3x3'], /--se-position 3x3 applies to bottleneck blocks/],
  ])('refuses %j', (args, message) => {
    expectUsageError(seprof([...args, '--no-measure']), message);
  });

  it('says where SE is in the title', () => {
    expect(seprof(['--model', 'se-resnet50', '--se-stages', '3,2', '--se-position', '3x3', '--no-measure']).stdout).toMatch(
      /^se-resnet50 v1\.5 \(SE r=16, 3x3, stages 2,3\) on 1x3x224x224/,
    );
  });
});
