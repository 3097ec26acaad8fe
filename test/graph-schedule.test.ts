// When a model file's activations go, and the live peak the memory estimate reads: worked out
// by hand on small graphs with a skip connection and a view that hands its input on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferShapes, type InferredGraph } from '../src/model/graph/infer';
import { livePeakBytes, schedule } from '../src/model/graph/schedule';
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
