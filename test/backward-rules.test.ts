// Backward rules per op kind, counted by hand from the gradient formulas docs/training.md states.
import { describe, expect, it } from 'vitest';
import { BACKWARD, BACKWARD_KEYS, backwardTable, countBackward } from '../src/analyzers/backward';
import { fanOuts, gradientSumAdds } from '../src/analyzers/backward/gradient-sums';
import { CONVENTION_KEYS } from '../src/analyzers/conventions';
import { makeOp, OP_KINDS } from '../src/analyzers/ops';

const backward = (op: ReturnType<typeof makeOp>) => countBackward(op);

describe('backward tables', () => {
  it('say for every convention whether and how it counts a backward pass', () => {
    expect(Object.keys(BACKWARD).sort()).toEqual([...CONVENTION_KEYS].sort());
    expect(BACKWARD_KEYS).toEqual(['macs', 'flops']);
    for (const key of BACKWARD_KEYS) expect(Object.keys(backwardTable(key) ?? {}).sort()).toEqual([...OP_KINDS].sort());
    for (const key of ['thop', 'fvcore', 'ptflops', 'ptflops-aten'] as const) expect(backwardTable(key)).toBeUndefined();
  });
});

describe('backward of each op kind', () => {
  it('conv2d: input and weight gradients each cost the forward MACs; the bias gradient sums dy', () => {
    // 2x8x14x14 -> 2x16x7x7, 3x3 stride 2: forward MACs = 2*16*7*7 * 8*3*3.
    const forward = 2n * 16n * 49n * 72n;
    const conv = (bias: boolean) => makeOp('conv', 'conv2d', [[2, 8, 14, 14]], [2, 16, 7, 7], { attrs: { kernel: [3, 3], stride: 2, bias } });
    expect(backward(conv(false))).toEqual({ macs: 2n * forward, flops: 4n * forward });
    expect(backward(conv(true))).toEqual({ macs: 2n * forward, flops: 4n * forward + (2n * 16n * 49n - 16n) });
  });

  it('linear: dy * W and x^T * dy; the bias gradient sums dy over rows', () => {
    const fc = (bias: boolean) => makeOp('fc', 'linear', [[3, 10]], [3, 4], { attrs: { bias } });
    expect(backward(fc(false))).toEqual({ macs: 2n * 120n, flops: 4n * 120n });
    expect(backward(fc(true))).toEqual({ macs: 240n, flops: 480n + (12n - 4n) });
  });

  it('batchnorm: 8 per element and 3 per channel, no MACs', () => {
    expect(backward(makeOp('bn', 'batchnorm', [[2, 5, 3, 3]], [2, 5, 3, 3]))).toEqual({ macs: 0n, flops: 8n * 90n + 3n * 5n });
  });

  it('relu 2, sigmoid 3 per element', () => {
    expect(backward(makeOp('r', 'relu', [[2, 7]], [2, 7]))).toEqual({ macs: 0n, flops: 28n });
    expect(backward(makeOp('s', 'sigmoid', [[2, 7]], [2, 7]))).toEqual({ macs: 0n, flops: 42n });
  });

  it('global_avg_pool: a broadcast multiply and a divide per input element', () => {
    const op = makeOp('sq', 'global_avg_pool', [[2, 4, 5, 6]], [2, 4, 1, 1], { attrs: { kernel: [5, 6] } });
    expect(backward(op)).toEqual({ macs: 0n, flops: 2n * 240n });
  });

  it('avg_pool k*k per output, max_pool 1 per output', () => {
    const attrs = { kernel: [3, 3] as const, stride: 2 };
    expect(backward(makeOp('a', 'avg_pool', [[1, 2, 8, 8]], [1, 2, 4, 4], { attrs }))).toEqual({ macs: 0n, flops: 9n * 32n });
    expect(backward(makeOp('m', 'max_pool', [[1, 2, 8, 8]], [1, 2, 4, 4], { attrs }))).toEqual({ macs: 0n, flops: 32n });
  });

  it('scale: dy * s, dy * x, and a sum over H x W', () => {
    const op = makeOp(
      'scale',
      'scale',
      [
        [2, 3, 4, 4],
        [2, 3, 1, 1],
      ],
      [2, 3, 4, 4],
    );
    expect(backward(op)).toEqual({ macs: 0n, flops: 96n + 96n + (96n - 6n) });
  });

  it('add: free for equal shapes, a sum over the broadcast axes otherwise; concat: free', () => {
    expect(
      backward(
        makeOp(
          'add',
          'add',
          [
            [2, 3, 4, 4],
            [2, 3, 4, 4],
          ],
          [2, 3, 4, 4],
        ),
      ),
    ).toEqual({ macs: 0n, flops: 0n });
    expect(
      backward(
        makeOp(
          'add',
          'add',
          [
            [2, 3, 4, 4],
            [1, 3, 1, 1],
          ],
          [2, 3, 4, 4],
        ),
      ),
    ).toEqual({ macs: 0n, flops: 96n - 3n });
    expect(
      backward(
        makeOp(
          'cat',
          'concat',
          [
            [2, 3, 4, 4],
            [2, 5, 4, 4],
          ],
          [2, 8, 4, 4],
        ),
      ),
    ).toEqual({ macs: 0n, flops: 0n });
  });
});

describe('gradient sums', () => {
  it('find every tensor read twice, the model input by default for the first op', () => {
    const ops = [
      makeOp('a', 'relu', [[1, 4]], [1, 4]),
      makeOp('b', 'relu', [[1, 4]], [1, 4], { reads: ['input'] }),
      makeOp(
        'c',
        'add',
        [
          [1, 4],
          [1, 4],
        ],
        [1, 4],
        { reads: ['a', 'b'] },
      ),
      makeOp(
        'd',
        'add',
        [
          [1, 4],
          [1, 4],
        ],
        [1, 4],
        { reads: ['c', 'a'] },
      ),
    ];
    expect(fanOuts(ops)).toEqual([
      { tensor: 'input', readers: ['a', 'b'], shape: [1, 4] },
      { tensor: 'a', readers: ['c', 'd'], shape: [1, 4] },
    ]);
  });

  it('add k - 1 gradients for a tensor read k times', () => {
    const adds = gradientSumAdds({ tensor: 'x', readers: ['p', 'q', 'r'], shape: [2, 3] });
    expect(adds).toHaveLength(2);
    expect(adds.map((op) => [op.kind, op.outputShape])).toEqual([
      ['add', [2, 3]],
      ['add', [2, 3]],
    ]);
  });
});
