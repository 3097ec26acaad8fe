// GELU, LayerNorm, erf and exp measured: the ONNX fixtures executed in tfjs and read back as the
// analytic ops, the backward rules against the gradient kernels tfjs runs for the executor's
// formulas, and `seprof explain` on them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flopsBackward } from '../src/analyzers/backward/flops';
import { countByRule } from '../src/analyzers/conventions';
import { explain } from '../src/analyzers/explain';
import { makeOp, numel, type Op } from '../src/analyzers/ops';
import { profile } from '../src/index';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { geluFormula } from '../src/model/kinds/gelu';
import { GraphExecutor } from '../src/modules/graph-executor';
import { layerNormFormula } from '../src/model/kinds/layernorm';
import { encodeModel } from './support/onnx';

const FIXTURES = join(__dirname, 'fixtures', 'onnx');

describe('executed in tfjs, module by module', () => {
  const files = [...['convnext_block', 'vit_head'].flatMap((name) => [name, `${name}_op17`, `${name}_op20`]), 'vit_block', 'vit_block_op17', 'vit_block_mha'];
  it.each(files)('%s: analytic and measured agree on every layer', async (file) => {
    const result = await profile({ file: join(FIXTURES, `${file}.onnx`), measure: true });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
    expect(result.layers.filter((l) => ['gelu', 'layernorm'].includes(l.op.kind)).length).toBe(file.startsWith('vit') ? 3 : 2);
  });
});

// Swin-T itself in file-real-exports.slow.test.ts (SEPROF_ALL_EXPORTS=1: npm run test:exports).
describe("torchvision's Swin, Swin V2 and MaxViT, narrow (make_fixtures.py), measured", () => {
  it.each(['swin_tiny_op17', 'swin_v2_tiny_op17', 'maxvit_tiny'])(
    "%s: Swin's mask built at run time and step-2 slices, V2's cosine attention (ReduceL2, Clip) and position bias MLP, MaxViT's window and grid partitions; analytic and measured agree on every layer",
    async (file) => {
      const result = await profile({ file: join(FIXTURES, `${file}.onnx`), measure: true });
      expect(result.check.mismatches).toEqual([]);
      expect(result.check.status).toBe('match');
      expect(result.file?.unsupported).toEqual([]);
    },
  );
});

type Kernels = Awaited<ReturnType<typeof tf.profile>>['kernels'];

describe('LayerNormalization over C, H and W of a 4-D map (axis 1), stored NHWC', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'seprof-layernorm-'));
  const path = join(tmp, 'ln.onnx');
  const [x, scale, shift] = [60, 60, 60].map((n, k) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * (k + 1) + k)));
  const bytes = (values: Float32Array | undefined): Uint8Array => new Uint8Array((values ?? new Float32Array()).buffer);
  writeFileSync(
    path,
    encodeModel({
      opset: 17,
      input: { name: 'x', dims: [1, 4, 3, 5] },
      nodes: [
        { op: 'LayerNormalization', inputs: ['x', 's', 'b'], outputs: ['y'], name: '/norm/LayerNormalization', attrs: [{ name: 'axis', type: 2, i: 1 }] },
      ],
      initializers: [
        { name: 's', dims: [4, 3, 5], rawData: bytes(scale) },
        { name: 'b', dims: [4, 3, 5], rawData: bytes(shift) },
      ],
    }),
  );

  it('computes (x - mean) / sqrt(var + 1e-5) * scale + shift over all 60 values', async () => {
    await tf.setBackend('cpu');
    const executor = new GraphExecutor(inferShapes(readModelFile(path), new Map()));
    const input = tf.transpose(tf.tensor(x as Float32Array, [1, 4, 3, 5]), [0, 2, 3, 1]);
    const [stored] = executor.run(new Map([['x', input]]));
    const y = tf.transpose(stored as tf.Tensor, [0, 3, 1, 2]).dataSync();
    executor.dispose();
    const values = Array.from(x as Float32Array);
    const mean = values.reduce((a, b) => a + b, 0) / 60;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / 60;
    values.forEach((v, i) => {
      const expected = ((v - mean) / Math.sqrt(variance + 1e-5)) * (scale?.[i] ?? 0) + (shift?.[i] ?? 0);
      expect(Math.abs((y[i] ?? NaN) - expected)).toBeLessThan(1e-5);
    });
  });

  it('is read back as the analytic op: one layernorm of one row of 60, scale and shift params', async () => {
    const result = await profile({ file: path, measure: true });
    expect(result.check.mismatches).toEqual([]);
    expect(result.layers.map((l) => [l.op.kind, l.op.params, l.counts['flops']])).toEqual([['layernorm', 120n, 5n * 60n + 2n + 2n * 60n]]);
  });
});

/** Arithmetic of kernels: one per output element, n - 1 adds per sum of n, a mean n per row; moves are free. */
function cost(kernels: Kernels): bigint {
  return kernels.reduce((sum, { name, inputShapes, outputShapes }) => {
    const [x, y] = [numel(inputShapes[0] ?? []), numel(outputShapes[0] ?? [])];
    if (['Reshape', 'Cast', 'Identity', 'Fill'].includes(name)) return sum;
    if (name === 'Sum') return sum + x - y;
    if (name === 'Mean') return sum + x;
    if (['Add', 'Sub', 'Multiply', 'RealDiv', 'Square', 'Neg', 'Exp', 'Sqrt', 'Erf'].includes(name)) return sum + y;
    throw new Error(`no cost for kernel ${name}`);
  }, 0n);
}

/**
 * The arithmetic tfjs' registered gradients execute for `f`, every input needing a gradient (weights
 * too): forward and backward, less the forward (the tape interleaves Identity kernels with it).
 * tf.profile reuses its record: the forward is costed before the second profile.
 */
async function measuredBackward(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): Promise<bigint> {
  const forward = await tf.profile(() => f(...inputs));
  const [forwardCost, y] = [cost(forward.kernels), forward.result as tf.Tensor];
  const dy = tf.onesLike(y);
  const both = await tf.profile(() => tf.grads(f)(inputs, dy));
  tf.dispose([y, dy, ...(both.result as tf.Tensor[])]);
  return cost(both.kernels) - forwardCost;
}

describe('backward rules against the gradient kernels of the executor formulas (cpu)', () => {
  const back = (op: Op): bigint => countByRule(flopsBackward[op.kind], op);

  it('gelu: x * (1 + erf(x / sqrt(2))) * 0.5', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([2, 3, 4, 8]);
    expect(await measuredBackward((t) => geluFormula(tf, t), [x])).toBe(back(makeOp('act', 'gelu', [[2, 3, 4, 8]], [2, 3, 4, 8])));
  });

  it.each([
    [true, true],
    [true, false],
    [false, false],
  ])('layernorm over the last axis of 6x4x8, scale %s, shift %s', async (affine, bias) => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([6, 4, 8]);
    const [w, b] = [tf.randomNormal([8]), tf.randomNormal([8])];
    const weights = [...(affine ? [w] : []), ...(bias ? [b] : [])];
    const f = (t: tf.Tensor, ...rest: tf.Tensor[]): tf.Tensor => {
      const [scale, shift] = affine ? [rest[0], rest[1]] : [undefined, rest[0]];
      return layerNormFormula(tf, t, [2], 1e-5, { ...(scale && { scale }), ...(shift && { shift }) });
    };
    const op = makeOp('ln', 'layernorm', [[6, 4, 8]], [6, 4, 8], { attrs: { axis: 2, affine, bias } });
    expect(await measuredBackward(f, [x, ...weights])).toBe(back(op));
  });

  it('erf and exp', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([3, 5]);
    expect(await measuredBackward((t) => tf.erf(t), [x])).toBe(back(makeOp('e', 'erf', [[3, 5]], [3, 5])));
    expect(await measuredBackward((t) => tf.exp(t), [x])).toBe(back(makeOp('e', 'exp', [[3, 5]], [3, 5])));
  });
});

describe('seprof explain on a ViT-style head', () => {
  it('gives gelu, layernorm, erf and exp the rules of every convention, and names what no public counter counts', async () => {
    const result = await profile({ file: join(FIXTURES, 'vit_head_op20.onnx') });
    const explained = explain(result, ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet'], 'thop');
    const rules = (kind: string): Record<string, string> =>
      Object.fromEntries((explained.kinds.find((k) => k.kind === kind)?.forward ?? []).map((u) => [u.key, u.rule]));
    expect(rules('layernorm')['thop']).toMatch(/count_normalization, thop\/profile.py:32/);
    expect(rules('layernorm')['fvcore']).toMatch(/norm_flop_counter\(2\), flop_count.py:38/);
    expect(rules('gelu')['ptflops']).toMatch(/pytorch_ops.py:323-324.*pytorch_ops.py:428/);
    expect(rules('gelu')['fvcore']).toMatch(/aten::gelu is in neither/);
    expect(rules('erf')['flops']).toMatch(/one operation per element/);
    // 2 LayerNorms of 256 elements (16 rows of 16), affine; one Gelu node on 512; erf and exp on the 8 logits.
    const count = (kind: string, key: string): bigint | undefined => explained.kinds.find((k) => k.kind === kind)?.forward.find((u) => u.key === key)?.count;
    expect([count('layernorm', 'thop'), count('layernorm', 'fvcore'), count('layernorm', 'ptflops')]).toEqual([2n * 4n * 256n, 2n * 5n * 256n, 2n * 256n]);
    expect([count('gelu', 'ptflops'), count('gelu', 'flops'), count('erf', 'flops'), count('exp', 'flops')]).toEqual([2n * 512n, 5n * 512n, 8n, 8n]);
    expect(explained.blindSpots.map((b) => b.kind)).toEqual(expect.arrayContaining(['erf', 'exp']));
    expect(explained.blindSpots.map((b) => b.kind)).not.toContain('gelu');
    expect(explained.blindSpots.map((b) => b.kind)).not.toContain('layernorm');
  });
});
