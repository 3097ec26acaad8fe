// The SE gate on a 1 x 1 map: the product's operands then have equal sizes, and it is still the scale.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { opsFromKernels } from '../src/analyzers/measured/kernels';
import { seSpec } from './support/grid';

const facts = { name: 'scale', params: 0n, buffers: 0n };

describe('Multiply', () => {
  it('reads a [N, 1, 1, C] gate on a 1 x 1 map as the scale', () => {
    const read = opsFromKernels(
      [
        {
          name: 'Multiply',
          inputShapes: [
            [2, 1, 1, 8],
            [2, 1, 1, 8],
          ],
          outputShapes: [[2, 1, 1, 8]],
        },
      ],
      facts,
    );
    expect(read.unrecognised).toEqual([]);
    expect(read.ops.map((op) => op.kind)).toEqual(['scale']);
  });

  it('reads an elementwise product of two feature maps as mul, not as the rescale', () => {
    const read = opsFromKernels(
      [
        {
          name: 'Multiply',
          inputShapes: [
            [2, 3, 3, 8],
            [2, 3, 3, 8],
          ],
          outputShapes: [[2, 3, 3, 8]],
        },
      ],
      facts,
    );
    expect(read.ops.map((op) => [op.kind, op.inputShapes])).toEqual([
      [
        'mul',
        [
          [2, 8, 3, 3],
          [2, 8, 3, 3],
        ],
      ],
    ]);
    expect(read.unrecognised).toEqual([]);
  });

  it('reads a per-channel constant as an operand of mul, not as an SE gate', () => {
    const read = opsFromKernels(
      [
        {
          name: 'Multiply',
          inputShapes: [
            [1, 3, 3, 8],
            [1, 1, 1, 8],
          ],
          outputShapes: [[1, 3, 3, 8]],
        },
      ],
      { ...facts, constantAt: 1 },
    );
    expect(read.ops.map((op) => [op.kind, op.inputShapes, op.attrs])).toEqual([['mul', [[1, 8, 3, 3]], { constant: { at: 1, shape: [1, 8, 1, 1] } }]]);
  });

  it('measures SE on 1 x 1 maps exactly as the analytic path counts it', async () => {
    for (const channels of [1, 16]) {
      const spec = seSpec({ channels, reduction: 1, height: 1, width: 1, batch: 2, bias: false });
      const measured = await measure(spec, { backend: 'wasm' });
      expect(measured.unrecognised).toEqual([]);
      expect(compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer)).mismatches).toEqual([]);
    }
  });
});
