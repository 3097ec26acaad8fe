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
    const read = opsFromKernels([{ name: 'Multiply', inputShapes: [[2, 1, 1, 8], [2, 1, 1, 8]], outputShapes: [[2, 1, 1, 8]] }], facts);
    expect(read.unrecognised).toEqual([]);
    expect(read.ops.map((op) => op.kind)).toEqual(['scale']);
  });

  it('still refuses an elementwise product of two feature maps', () => {
    const read = opsFromKernels([{ name: 'Multiply', inputShapes: [[2, 3, 3, 8], [2, 3, 3, 8]], outputShapes: [[2, 3, 3, 8]] }], facts);
    expect(read.ops).toEqual([]);
    expect(read.unrecognised).toEqual(['Multiply']);
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
