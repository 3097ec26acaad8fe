// The cross-check must notice every kind of disagreement, and the kernel reader must not guess.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer } from '../src/analyzers/count';
import { opsFromKernels } from '../src/analyzers/measured/kernels';
import { nchwShape as toNchw } from '../src/model/kinds/kernel-reading';
import { seSpec } from './support/grid';

const ops = analyticOps(seSpec({ channels: 16, reduction: 4, height: 5, width: 5, batch: 2, bias: false }));
const counted = ops.map(countLayer);

describe('compareLayers', () => {
  it('matches identical op lists', () => {
    expect(compareLayers(counted, ops.map(countLayer))).toMatchObject({ status: 'match', mismatches: [] });
  });

  it('names the layer, the quantity and both values of a params difference', () => {
    const measured = ops.map((op) => (op.name === 'fc1' ? { ...op, params: op.params + 1n } : op)).map(countLayer);
    const check = compareLayers(counted, measured);
    expect(check.status).toBe('mismatch');
    expect(check.mismatches).toContainEqual({ layer: 'fc1', quantity: 'params', analytic: '64', measured: '65' });
  });

  it('reports a different output shape and every convention it moves', () => {
    const measured = ops.map((op) => (op.name === 'relu' ? { ...op, outputShape: [2, 5] } : op)).map(countLayer);
    const quantities = compareLayers(counted, measured).mismatches.map((m) => m.quantity);
    expect(quantities).toContain('output shape');
    expect(quantities).toContain('flops');
    expect(quantities).toContain('ptflops');
  });

  it('reports missing and extra layers', () => {
    const measured = ops.filter((op) => op.name !== 'sigmoid').map((op) => (op.name === 'scale' ? { ...op, name: 'gate' } : op));
    const mismatches = compareLayers(counted, measured.map(countLayer)).mismatches;
    expect(mismatches).toContainEqual({ layer: 'sigmoid', quantity: 'layer', analytic: 'sigmoid', measured: '(absent)' });
    expect(mismatches).toContainEqual({ layer: 'gate', quantity: 'layer', analytic: '(absent)', measured: 'scale' });
  });
});

describe('opsFromKernels', () => {
  const facts = { name: 'se.fc1', params: 48n, buffers: 0n };

  it('counts a fused matmul once, skipping its op-level wrapper and views', () => {
    const read = opsFromKernels(
      [
        { name: 'Reshape', inputShapes: [[2, 12]], outputShapes: [[1, 2, 12]] },
        { name: '_FusedMatMul', inputShapes: [[1, 2, 12], [1, 12, 4], null, null], outputShapes: [[1, 2, 4]] },
        {
          name: 'fusedMatMul__op',
          inputShapes: [
            [1, 2, 12],
            [1, 12, 4],
          ],
          outputShapes: [[2, 4]],
        },
      ],
      facts,
    );
    expect(read.unrecognised).toEqual([]);
    expect(read.ops).toEqual([
      { name: 'se.fc1', kind: 'linear', inputShapes: [[2, 12]], outputShape: [2, 4], attrs: { bias: false }, params: 48n, buffers: 0n },
    ]);
  });

  it('reports a kernel it does not know instead of dropping it', () => {
    const read = opsFromKernels([{ name: 'Softsign', inputShapes: [[2, 4]], outputShapes: [[2, 4]] }], facts);
    expect(read.ops).toEqual([]);
    expect(read.unrecognised).toContain('Softsign');
  });

  it('turns NHWC into NCHW', () => {
    expect(toNchw([2, 7, 9, 64])).toEqual([2, 64, 7, 9]);
    expect(toNchw([2, 64])).toEqual([2, 64]);
  });
});
