// When a model file's activations go, and the live peak the memory estimate reads: worked out
// by hand on small graphs with a skip connection and a view that hands its input on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferShapes, type InferredGraph } from '../src/model/graph/infer';
import { graphFanOuts } from '../src/model/graph/fan-outs';
import { livePeakBytes, madeBytes, schedule } from '../src/model/graph/schedule';
import { readModelFile } from '../src/model/model-file';
import { encodeModel, type ModelSpec } from './support/onnx';

const tmp = mkdtempSync(join(tmpdir(), 'seprof-schedule-'));

function graphOf(name: string, spec: ModelSpec): InferredGraph {
  const path = join(tmp, `${name}.onnx`);
  writeFileSync(path, encodeModel(spec));
  return inferShapes(readModelFile(path), new Map());
}

// x (1x8x4x4: 512 bytes, as every tensor here) -> a -> b -> c; y = c + a, a skip over b and c.
const skip: ModelSpec = {
  nodes: [
    { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'r1' },
    { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'r2' },
    { op: 'Relu', inputs: ['b'], outputs: ['c'], name: 'r3' },
    { op: 'Add', inputs: ['c', 'a'], outputs: ['y'], name: 'add' },
  ],
};
const T = 512n;

const freesOf = (g: InferredGraph): string[][] => schedule(g).map((step) => [...step.frees].sort());

describe('the schedule of a model file', () => {
  it('frees each activation after its last reader: the skip a after the add, b after r3; the input is listed, the output never', () => {
    expect(freesOf(graphOf('skip', skip))).toEqual([['x'], [], ['b'], ['a', 'c']]);
  });

  it('runs views between modules as steps of their own', () => {
    const flatten: ModelSpec = {
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'r1' },
        { op: 'Flatten', inputs: ['a'], outputs: ['f'], name: 'flat' },
        { op: 'Relu', inputs: ['f'], outputs: ['y'], name: 'r2' },
      ],
    };
    const steps = schedule(graphOf('flatten', flatten));
    expect(steps.map((step) => ('view' in step ? `view ${step.view.name}` : step.module.name))).toEqual(['r1', 'view flat', 'r2']);
    expect(steps.map((step) => step.frees)).toEqual([['x'], ['a'], ['f']]);
  });
});

describe('the live peak of a model file', () => {
  it('holds the input, the skip and the branch at r3, and three of the largest as its intermediates', () => {
    // r1: x + a + 3T; r2: x, a + b + 3T; r3: x, a, b + c + 3T (b goes after); add: x, a, c + y + 3T.
    expect(livePeakBytes(graphOf('skip', skip))).toBe(7n * T);
  });

  it('counts a view that hands its input on as no new tensor, alive as long as either name is read', () => {
    const identity: ModelSpec = {
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'r1' },
        { op: 'Identity', inputs: ['a'], outputs: ['i'], name: 'same' },
        { op: 'Relu', inputs: ['i'], outputs: ['b'], name: 'r2' },
        { op: 'Relu', inputs: ['b'], outputs: ['c'], name: 'r3' },
        { op: 'Add', inputs: ['c', 'a'], outputs: ['y'], name: 'add' },
      ],
    };
    expect(livePeakBytes(graphOf('identity', identity))).toBe(7n * T);
  });

  it('is not bounded by a few of the largest: every skip is alive until it is read', () => {
    // x -> m1 -> m2 -> m3 -> m4, then m4 + m3 + m2 + m1 by a chain of adds: a U-Net's or a detector's skips.
    const fan: ModelSpec = {
      nodes: [
        ...[1, 2, 3, 4].map((i) => ({ op: 'Relu', inputs: [i === 1 ? 'x' : `m${i - 1}`], outputs: [`m${i}`], name: `r${i}` })),
        { op: 'Add', inputs: ['m4', 'm3'], outputs: ['s3'], name: 'add3' },
        { op: 'Add', inputs: ['s3', 'm2'], outputs: ['s2'], name: 'add2' },
        { op: 'Add', inputs: ['s2', 'm1'], outputs: ['y'], name: 'add1' },
      ],
    };
    // add3: x, m1..m4 + s3 + 3T.
    expect(livePeakBytes(graphOf('fan', fan))).toBe(9n * T);
  });
});

describe('what a forward pass makes, none freed (the training estimate)', () => {
  it('counts a kernel per node, and the layout transposes of a rank-4 view around its own', () => {
    // skip: four modules of one kernel each, every tensor T.
    expect(madeBytes(graphOf('skip', skip))).toBe(4n * T);
    const flatten: ModelSpec = {
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'r1' },
        { op: 'Flatten', inputs: ['a'], outputs: ['f'], name: 'flat' },
        { op: 'Relu', inputs: ['f'], outputs: ['y'], name: 'r2' },
      ],
    };
    expect(madeBytes(graphOf('flatten', flatten))).toBe(T + 3n * T + T);
  });

  it('counts the kernels of ops tfjs runs as formulas (HardSwish: add, relu6, multiply, divide)', () => {
    const hardswish: ModelSpec = { opset: 14, nodes: [{ op: 'HardSwish', inputs: ['x'], outputs: ['y'], name: 'hs' }] };
    expect(madeBytes(graphOf('hardswish', hardswish))).toBe(4n * T);
  });
});

describe('the gradient sums of a model file', () => {
  it('are the tensors read by several steps: modules, views that compute, and the loss for an output', () => {
    // x -> a; two slices of a (its halves), the second read by r2 and the concat; a also an output.
    const halves: ModelSpec = {
      opset: 13,
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'r1' },
        { op: 'Slice', inputs: ['a', 's0', 'e0', 'ax'], outputs: ['h0'], name: 'first' },
        { op: 'Slice', inputs: ['a', 's1', 'e1', 'ax'], outputs: ['h1'], name: 'second' },
        { op: 'Relu', inputs: ['h1'], outputs: ['b'], name: 'r2' },
        { op: 'Concat', inputs: ['h0', 'h1', 'b'], outputs: ['y'], name: 'cat', attrs: [{ name: 'axis', type: 2, i: 1 }] },
      ],
      initializers: [
        [`s0`, 0],
        ['e0', 4],
        ['s1', 4],
        ['e1', 8],
        ['ax', 1],
      ].map(([name, v]) => ({ name: name as string, dims: [1], dataType: 7, int64Data: [v as number] })),
      outputs: ['y', 'a'],
    };
    expect(graphFanOuts(graphOf('halves', halves))).toEqual([
      { tensor: 'r1', readers: ['Slice first', 'Slice second', '(output)'], shape: [1, 8, 4, 4] },
      { tensor: 'r1 (Slice second)', readers: ['r2', 'cat'], shape: [1, 4, 4, 4] },
    ]);
  });

  it('look through a view that hands its tensor on, and count a module once however often it reads', () => {
    const identity: ModelSpec = {
      nodes: [
        { op: 'Identity', inputs: ['x'], outputs: ['i'], name: 'same' },
        { op: 'Mul', inputs: ['x', 'i'], outputs: ['y'], name: 'square' },
      ],
    };
    expect(graphFanOuts(graphOf('square', identity))).toEqual([]);
    expect(graphFanOuts(graphOf('skip', skip))).toEqual([{ tensor: 'r1', readers: ['r2', 'add'], shape: [1, 8, 4, 4] }]);
  });
});
