// ViT's learned tokens and class-token head in a model file: a class token expanded to the batch
// and concatenated in front of the patch tokens (params of the concat, its gradient measured), and
// x[:, 0] (a Gather by one constant index: a free view, run as a slice).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphExecutor } from '../src/modules/graph-executor';
import { encodeModel } from './support/onnx';

const int64 = (name: string, dims: number[], data: number[]): { name: string; dims: number[]; dataType: number; int64Data: number[] } => ({
  name,
  dims,
  dataType: 7,
  int64Data: data,
});

describe('a class token (Expand into Concat) and x[:, 0], x[:, -1] (Gather) by hand', () => {
  // x [2, 2, 3]; token [1, 1, 3] expanded to [2, 1, 3]; cat on axis 1: [2, 3, 3]; y0 = t[:, 0], y1 = t[:, -1].
  const path = join(mkdtempSync(join(tmpdir(), 'seprof-tokens-')), 'tokens.onnx');
  const token = Float32Array.from([0.5, -1, 2]);
  writeFileSync(
    path,
    encodeModel({
      input: { name: 'x', dims: [2, 2, 3] },
      nodes: [
        { op: 'Expand', inputs: ['token', 'shape'], outputs: ['e'], name: '/Expand' },
        { op: 'Concat', inputs: ['e', 'x'], outputs: ['t'], name: '/Concat', attrs: [{ name: 'axis', type: 2, i: 1 }] },
        { op: 'Gather', inputs: ['t', 'first'], outputs: ['y0'], name: '/Gather', attrs: [{ name: 'axis', type: 2, i: 1 }] },
        { op: 'Gather', inputs: ['t', 'last'], outputs: ['y1'], name: '/Gather_1', attrs: [{ name: 'axis', type: 2, i: 1 }] },
      ],
      initializers: [
        { name: 'token', dims: [1, 1, 3], rawData: new Uint8Array(token.buffer) },
        int64('shape', [3], [2, 1, 3]),
        int64('first', [], [0]),
        int64('last', [], [-1]),
      ],
      outputs: ['y0', 'y1'],
    }),
  );

  it('runs: the token broadcast to the batch, the last patch token', async () => {
    await tf.setBackend('cpu');
    const executor = new GraphExecutor(inferShapes(readModelFile(path), new Map()));
    expect(executor.unsupported()).toEqual([]);
    const x = tf.tensor(
      Float32Array.from({ length: 12 }, (_, i) => i),
      [2, 2, 3],
    );
    const [y0, y1] = executor.run(new Map([['x', x]]));
    executor.dispose();
    expect(y0?.shape).toEqual([2, 3]);
    expect(Array.from(y0?.dataSync() ?? [])).toEqual([0.5, -1, 2, 0.5, -1, 2]);
    expect(Array.from(y1?.dataSync() ?? [])).toEqual([3, 4, 5, 9, 10, 11]);
  });

  it("counts the token as the concat's params, the Gathers free; measured forward and backward agree", async () => {
    const result = await profile({ file: path, measure: true, training: true });
    expect(result.file?.unsupported).toEqual([]);
    expect(result.layers.map((l) => [l.op.name, l.op.kind, l.op.params])).toEqual([['concat', 'concat', 3n]]);
    expect(result.totals.params).toBe(3n);
    // The token's gradient gathered from its 2 copies: tfjs's Tile gradient adds each slice into zeros, 2 * 3 adds.
    expect(result.training?.rows.find((row) => row.name === 'concat')?.counts['flops']).toBe(6n);
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });
});

describe('a tiny ViT (make_fixtures.py TinyViT): class token, position embedding, head on x[:, 0]', () => {
  const file = join(__dirname, 'fixtures', 'onnx', 'vit_tiny.onnx');

  it("params are the PyTorch model's sum(p.numel()), the class token the concat's, the position embedding the add's", async () => {
    const result = await profile({ file, measure: false });
    expect(result.totals.params).toBe(3464n);
    // The exporter's shape arithmetic has a Concat too, folded: the op is concat_1.
    const params = Object.fromEntries(result.layers.map((l) => [`${l.op.name} ${l.op.kind}`, l.op.params]));
    expect(params['concat_1 concat']).toBe(16n);
    expect(params['add add']).toBe(17n * 16n);
    expect(result.file?.unsupported).toEqual([]);
  });

  it('analytic and measured agree on every layer, forward and backward', async () => {
    const result = await profile({ file, measure: true, training: true });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });
});
