// The op kinds of the field's networks: each convention's rule as the peers' source writes
// it, and the tfjs read-back (one grouped conv op, never G convs; PyTorch's Hardswish).
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { conv2d } from '../src/analyzers/analytic/layers';
import { analyticBackward } from '../src/analyzers/backward/training';
import { compareBackward, compareLayers } from '../src/analyzers/check';
import { CONVENTIONS, countOp } from '../src/analyzers/conventions';
import { countLayer } from '../src/analyzers/count';
import { measureModel } from '../src/analyzers/measured';
import { makeOp, type Op, type OpKind } from '../src/analyzers/ops';
import { activation } from '../src/modules/activations';
import { convolution } from '../src/modules/convs';

const counts = (op: Op): Record<string, bigint> => Object.fromEntries(CONVENTIONS.map((c) => [c.key, countOp(c, op)]));
const elementwise = (kind: OpKind, shape: number[]): Op => makeOp(kind, kind, [shape], shape);

describe('activation rules, on 2x16x7x7 (numel 1568, per image 784)', () => {
  const shape = [2, 16, 7, 7];
  it.each([
    // thop registers nn.ReLU6 as zero_ops and has no rule for the others; fvcore lists
    // hardtanh, silu, hardswish and hardsigmoid as unsupported; ptflops hooks nn.ReLU6
    // (numel(out), per image) and patches F.silu (numel(in), whole batch), nothing else.
    ['relu6', { thop: 0n, fvcore: 0n, ptflops: 784n, 'ptflops-aten': 0n, macs: 0n, flops: 2n * 1568n, senet: 0n }],
    ['silu', { thop: 0n, fvcore: 0n, ptflops: 1568n, 'ptflops-aten': 0n, macs: 0n, flops: 5n * 1568n, senet: 0n }],
    ['hardswish', { thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 5n * 1568n, senet: 0n }],
    ['hardsigmoid', { thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 4n * 1568n, senet: 0n }],
  ] as const)('%s', (kind, expected) => {
    expect(counts(elementwise(kind, shape))).toEqual(expected);
  });
});

describe('grouped and depthwise conv rules', () => {
  it('a 3x3 conv 32 -> 64 in 4 groups, stride 2, on 2x32x8x8: numel(out) * (Cin/g) * 9', () => {
    const op = conv2d('conv', [2, 32, 8, 8], 64, 3, 2, false, 4);
    const macs = 2n * 64n * 4n * 4n * 8n * 9n; // 2*64*16 outputs, 8 inputs per group, 3x3
    expect(op.params).toBe(64n * 8n * 9n);
    expect(counts(op)).toEqual({ thop: macs, fvcore: macs, ptflops: macs / 2n, 'ptflops-aten': macs, macs, flops: 2n * macs, senet: macs });
  });

  it('a depthwise 5x5 conv on 1x24x6x6 with bias: 25 MACs per output, the bias once per output', () => {
    const op = conv2d('dw', [1, 24, 6, 6], 24, 5, 1, true, 24);
    const outputs = 24n * 36n;
    expect(op.params).toBe(24n * 25n + 24n);
    expect(counts(op)).toMatchObject({
      thop: 25n * outputs,
      fvcore: 25n * outputs,
      ptflops: 26n * outputs,
      'ptflops-aten': 26n * outputs,
      flops: 51n * outputs,
    });
  });
});

describe('measured in tfjs, forward and backward', () => {
  const once = { backend: 'wasm' } as const;

  it('reads split, per-group convs and concat back as one grouped conv, and the activations as PyTorch ops', async () => {
    const build = (): tfl.LayersModel => {
      const x = tfl.input({ shape: [9, 9, 12], name: 'input' });
      let y = convolution('grouped', x, { filters: 24, kernelSize: 3, strides: 2, groups: 3, bias: false });
      y = convolution('depthwise', y, { filters: 24, kernelSize: 5, strides: 1, groups: 24, bias: false });
      y = convolution('pointwise', y, { filters: 8, kernelSize: 1, strides: 1, groups: 1, bias: true });
      for (const kind of ['relu6', 'silu', 'hardswish', 'hardsigmoid'] as const) y = activation(kind, kind, y);
      return tfl.model({ inputs: x, outputs: y });
    };
    const grouped = conv2d('grouped', [2, 12, 9, 9], 24, 3, 2, false, 3);
    const depthwise = conv2d('depthwise', grouped.outputShape, 24, 5, 1, false, 24);
    const pointwise = conv2d('pointwise', depthwise.outputShape, 8, 1, 1, true);
    const shape = pointwise.outputShape as number[];
    const analytic = [grouped, depthwise, pointwise, ...(['relu6', 'silu', 'hardswish', 'hardsigmoid'] as const).map((k) => elementwise(k, shape))];
    const measured = await measureModel(build, [2, 9, 9, 12], once);
    expect(measured.unrecognised).toEqual([]);
    expect(measured.ops.map((op) => [op.name, op.kind, op.attrs.groups])).toEqual(analytic.map((op) => [op.name, op.kind, op.attrs.groups]));
    expect(compareLayers(analytic.map(countLayer), measured.ops.map(countLayer)).mismatches).toEqual([]);
    // The backward pass (cpu: wasm has no conv filter gradient): every gradient kernel read and costed as the rules say.
    const trained = await measureModel(build, [2, 9, 9, 12], { ...once, backend: 'cpu', training: true });
    expect(trained.backward?.unrecognised).toEqual([]);
    expect(compareBackward(analyticBackward(analytic.map(countLayer)).rows, trained.backward?.rows ?? [])).toEqual([]);
  });
});
