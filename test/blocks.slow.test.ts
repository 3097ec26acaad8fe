// SE-ResNet and SE-Inception blocks: closed forms by hand, and analytic equals measured.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { closedForm } from './support/closed-forms';
import { inceptionGrid, resnetGrid } from './support/block-grids';
import { specOf } from './support/grid';

describe('block grids', () => {
  it('cover at least 100 ResNet and 30 Inception configurations', () => {
    expect(resnetGrid.length).toBeGreaterThanOrEqual(100);
    expect(inceptionGrid.length).toBeGreaterThanOrEqual(30);
  });
});

describe.each([
  ['ResNet', resnetGrid],
  ['Inception', inceptionGrid],
] as const)('%s blocks', (_, grid) => {
  it('sum their ops to the closed forms of params and thop MACs', () => {
    const failures = grid.flatMap((spec) => {
      const totals = totalsOf(analyticOps(spec).map(countLayer));
      const [params, thop] = closedForm(spec);
      return totals.params === params && totals.counts['thop'] === thop
        ? []
        : [`${JSON.stringify(spec)}: params ${totals.params} vs ${params}, thop ${totals.counts['thop']} vs ${thop}`];
    });
    expect(failures).toEqual([]);
  });

  it('measure in tfjs exactly as analysed, on every layer', async () => {
    const failures: string[] = [];
    for (const spec of grid) {
      const measured = await measure(spec, { backend: 'wasm' });
      const check = compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer));
      if (check.status !== 'match' || measured.unrecognised.length > 0) {
        failures.push(`${JSON.stringify(spec)}: ${JSON.stringify(check.mismatches.slice(0, 3))} ${measured.unrecognised.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('SE placement', () => {
  const names = (position: string): string[] =>
    analyticOps(specOf({ block: 'se-resnet', channels: 16, planes: 8, reduction: 4, sePosition: position, stride: 2 })).map((op) => op.name);

  it('puts SE where the SENet ablation says', () => {
    const standard = names('standard');
    expect(standard.indexOf('se.squeeze')).toBe(standard.indexOf('branch.bn3') + 1);
    expect(names('pre').slice(0, 2)).toEqual(['se.squeeze', 'se.fc1']);
    expect(names('post').slice(-2)).toEqual(['se.sigmoid', 'se.scale']);
    const identity = names('identity');
    expect(identity.indexOf('se.squeeze')).toBe(identity.indexOf('shortcut.bn') + 1);
  });

  it('scales the block input for SE-PRE and the block output otherwise', () => {
    const scaleShape = (position: string) =>
      analyticOps(specOf({ block: 'se-resnet', channels: 16, planes: 8, reduction: 4, sePosition: position, stride: 2, height: 8, width: 8 })).find(
        (op) => op.name === 'se.scale',
      )?.outputShape;
    expect(scaleShape('pre')).toEqual([1, 16, 8, 8]);
    expect(scaleShape('standard')).toEqual([1, 32, 4, 4]);
  });
});

describe('GoogLeNet inception (3a) on 192x28x28', () => {
  it('has the published parameter count of its convolutions', () => {
    // Convolution weights of inception (3a): 1x1 64, 1x1 96 -> 3x3 128, 1x1 16 -> 5x5 32, pool proj 32.
    const convWeights = 192 * 64 + 192 * 96 + 9 * 96 * 128 + 192 * 16 + 25 * 16 * 32 + 192 * 32;
    const ops = analyticOps(specOf({ block: 'inception' }));
    const convParams = ops.filter((op) => op.kind === 'conv2d').reduce((sum, op) => sum + op.params, 0n);
    expect(convParams).toBe(BigInt(convWeights));
    expect(ops.find((op) => op.name === 'concat')?.outputShape).toEqual([1, 256, 28, 28]);
  });
});
