// The gradient-kernel reader: costs from shapes, data moves free, nothing unknown dropped.
import { describe, expect, it } from 'vitest';
import { GRADIENT_SUMS } from '../src/analyzers/ops';
import { compareBackward } from '../src/analyzers/check';
import { afterForward, gradientKernelCost, readBackward } from '../src/analyzers/measured/gradient-kernels';
import type { KernelRecord } from '../src/model/kinds/kernel-reading';

const k = (name: string, inputShapes: number[][], outputShapes: number[][]): KernelRecord => ({ name, inputShapes, outputShapes });
const facts = { name: 'layer', params: 0n, buffers: 0n };

describe('gradientKernelCost', () => {
  it('reads the contracted size of a product whichever operand is transposed', () => {
    // dy [1,3,4] x W [1,10,4]^T -> [1,3,10]: 3*10*4 MACs; x^T [1,3,10] x dy [1,3,4] -> [1,10,4]: the same.
    expect(
      gradientKernelCost(
        k(
          'BatchMatMul',
          [
            [1, 3, 4],
            [1, 10, 4],
          ],
          [[1, 3, 10]],
        ),
        facts,
      ),
    ).toEqual({ macs: 120n, flops: 240n });
    expect(
      gradientKernelCost(
        k(
          'BatchMatMul',
          [
            [1, 3, 10],
            [1, 3, 4],
          ],
          [[1, 10, 4]],
        ),
        facts,
      ),
    ).toEqual({ macs: 120n, flops: 240n });
    expect(
      gradientKernelCost(
        k(
          'BatchMatMul',
          [
            [1, 3, 5],
            [1, 7, 4],
          ],
          [[1, 3, 4]],
        ),
        facts,
      ),
    ).toBeUndefined();
  });

  it('costs both convolution gradients as the forward', () => {
    // forward 2x14x14x8 -> 2x7x7x16, 3x3: 2*7*7*16 * 3*3*8 MACs.
    const macs = 2n * 49n * 16n * 72n;
    expect(
      gradientKernelCost(
        k(
          'Conv2DBackpropInput',
          [
            [2, 7, 7, 16],
            [3, 3, 8, 16],
          ],
          [[2, 14, 14, 8]],
        ),
        facts,
      ),
    ).toEqual({ macs, flops: 2n * macs });
    expect(
      gradientKernelCost(
        k(
          'Conv2DBackpropFilter',
          [
            [2, 14, 14, 8],
            [2, 7, 7, 16],
          ],
          [[3, 3, 8, 16]],
        ),
        facts,
      ),
    ).toEqual({ macs, flops: 2n * macs });
  });

  it('costs both depthwise gradients as the forward, and no channel multiplier but 1', () => {
    // forward 1x8x8x6 -> 1x4x4x6, 3x3: 16*6 outputs x 9 taps.
    const macs = 16n * 6n * 9n;
    expect(
      gradientKernelCost(
        k(
          'DepthwiseConv2dNativeBackpropInput',
          [
            [1, 4, 4, 6],
            [3, 3, 6, 1],
          ],
          [[1, 8, 8, 6]],
        ),
        facts,
      ),
    ).toEqual({ macs, flops: 2n * macs });
    expect(
      gradientKernelCost(
        k(
          'DepthwiseConv2dNativeBackpropFilter',
          [
            [1, 8, 8, 6],
            [1, 4, 4, 6],
          ],
          [[3, 3, 6, 1]],
        ),
        facts,
      ),
    ).toEqual({ macs, flops: 2n * macs });
    expect(
      gradientKernelCost(
        k(
          'DepthwiseConv2dNativeBackpropInput',
          [
            [1, 4, 4, 12],
            [3, 3, 6, 2],
          ],
          [[1, 8, 8, 6]],
        ),
        facts,
      ),
    ).toBeUndefined();
  });

  it('counts elementwise results, sums n - 1 adds, pool gradients per output', () => {
    expect(
      gradientKernelCost(
        k(
          'Multiply',
          [
            [2, 1, 1, 8],
            [2, 3, 3, 8],
          ],
          [[2, 3, 3, 8]],
        ),
        facts,
      ),
    ).toEqual({ macs: 0n, flops: 144n });
    expect(gradientKernelCost(k('Sum', [[2, 3, 3, 8]], [[2, 8]]), facts)).toEqual({ macs: 0n, flops: 144n - 16n });
    expect(
      gradientKernelCost(
        k(
          'AvgPoolGrad',
          [
            [1, 2, 2, 3],
            [1, 4, 4, 3],
          ],
          [[1, 4, 4, 3]],
        ),
        { ...facts, poolSize: [2, 2] },
      ),
    ).toEqual({ macs: 0n, flops: 48n });
    expect(
      gradientKernelCost(
        k(
          'AvgPoolGrad',
          [
            [1, 2, 2, 3],
            [1, 4, 4, 3],
          ],
          [[1, 4, 4, 3]],
        ),
        facts,
      ),
    ).toBeUndefined();
    expect(
      gradientKernelCost(
        k(
          'MaxPoolGrad',
          [
            [1, 2, 2, 3],
            [1, 4, 4, 3],
            [1, 2, 2, 3],
          ],
          [[1, 4, 4, 3]],
        ),
        facts,
      ),
    ).toEqual({ macs: 0n, flops: 12n });
  });

  it('reads a 2-D product as a batch of one (a Gemm, a Linear on rows)', () => {
    // dy [1,8] x W [128,8]^T -> [1,128]; x^T [1,128] x dy [1,8] -> [128,8]: 1024 MACs each.
    expect(
      gradientKernelCost(
        k(
          'BatchMatMul',
          [
            [1, 8],
            [128, 8],
          ],
          [[1, 128]],
        ),
        facts,
      ),
    ).toEqual({ macs: 1024n, flops: 2048n });
    expect(
      gradientKernelCost(
        k(
          'BatchMatMul',
          [
            [1, 128],
            [1, 8],
          ],
          [[128, 8]],
        ),
        facts,
      ),
    ).toEqual({ macs: 1024n, flops: 2048n });
  });

  it("costs a transposed conv's input gradient, a conv of dy with its filter, as the forward conv", () => {
    // dy 1x12x12x4 convolved by the filter [4, 4, 4, 8] (kh, kw, Cin of the conv = the op's Cout, Cout = the op's Cin) to 1x6x6x8.
    expect(
      gradientKernelCost(
        k(
          'Conv2D',
          [
            [1, 12, 12, 4],
            [4, 4, 4, 8],
          ],
          [[1, 6, 6, 8]],
        ),
        facts,
      ),
    ).toEqual({ macs: 288n * 64n, flops: 2n * 288n * 64n });
  });

  it("the model files' gradient formulas: one operation per element; nearest upsampling adds each output gradient", () => {
    for (const name of ['Square', 'Neg', 'Exp', 'Sqrt', 'Log', 'Pow', 'Greater', 'Select']) {
      expect(gradientKernelCost(k(name, [[2, 3, 4]], [[2, 3, 4]]), facts), name).toEqual({ macs: 0n, flops: 24n });
    }
    expect(
      gradientKernelCost(
        k(
          'ResizeNearestNeighborGrad',
          [
            [1, 8, 8, 3],
            [1, 4, 4, 3],
          ],
          [[1, 4, 4, 3]],
        ),
        facts,
      ),
    ).toEqual({ macs: 0n, flops: 192n });
  });

  it('moves data for free and does not guess unknown kernels', () => {
    for (const name of ['Reshape', 'Cast', 'Tile', 'SplitV', 'fusedMatMul__op', 'Transpose', 'PadV2', 'ZerosLike'])
      expect(gradientKernelCost(k(name, [[2, 3]], [[6]]), facts)).toBe('move');
    expect(gradientKernelCost(k('Softmax', [[2, 3]], [[2, 3]]), facts)).toBeUndefined();
  });
});

describe('afterForward', () => {
  const forward = [k('Sigmoid', [[2, 4]], [[2, 4]])];

  it('drops the forward pass and the tape clones', () => {
    const run = [k('Identity', [[2, 4]], [[2, 4]]), ...forward, k('Identity', [[2, 4]], [[2, 4]]), k('Sub', [[], [2, 4]], [[2, 4]])];
    expect(afterForward(run, forward).map((x) => x.name)).toEqual(['Sub']);
  });

  it('refuses a run that does not start with the forward pass', () => {
    expect(() => afterForward([k('Relu', [[2, 4]], [[2, 4]])], forward)).toThrow(/does not start with the forward pass/);
  });
});

describe('readBackward', () => {
  const relu = [
    k('Step', [[2, 4]], [[2, 4]]),
    k('Cast', [[2, 4]], [[2, 4]]),
    k(
      'Multiply',
      [
        [2, 4],
        [2, 4],
      ],
      [[2, 4]],
    ),
  ];
  const layers = [{ facts: { ...facts, name: 'relu' }, hasOp: true, kernels: relu }];

  it('costs each layer and leaves the gradient sums to the adds only the model ran', () => {
    const read = readBackward(layers, [
      ...relu,
      k(
        'Add',
        [
          [2, 4],
          [2, 4],
        ],
        [[2, 4]],
      ),
      k('Reshape', [[2, 4]], [[8]]),
    ]);
    expect(read).toEqual({
      rows: [
        { name: 'relu', counts: { macs: 0n, flops: 16n } },
        { name: GRADIENT_SUMS, counts: { macs: 0n, flops: 8n } },
      ],
      unrecognised: [],
    });
  });

  it('reports arithmetic the layers do not explain, and layer kernels the model did not run', () => {
    expect(
      readBackward(layers, [
        ...relu,
        k(
          'Multiply',
          [
            [2, 4],
            [2, 4],
          ],
          [[2, 4]],
        ),
      ]).unrecognised,
    ).toEqual([`${GRADIENT_SUMS}: Multiply ran in the model's gradient but in no layer's`]);
    expect(readBackward(layers, relu.slice(1)).unrecognised).toEqual(["relu: Step ran in the layer's gradient but not in the model's"]);
  });

  it('reports backward arithmetic in a layer that has no op', () => {
    const view = [{ facts: { ...facts, name: 'gate' }, hasOp: false, kernels: relu }];
    expect(readBackward(view, relu).unrecognised).toEqual(['gate: backward arithmetic in a layer with no op']);
  });
});

describe('compareBackward', () => {
  it('names the row, the backward quantity and both values', () => {
    const analytic = [{ name: 'fc1', counts: { macs: 10n, flops: 20n } }];
    expect(compareBackward(analytic, [{ name: 'fc1', counts: { macs: 10n, flops: 21n } }])).toEqual([
      { layer: 'fc1', quantity: 'backward flops', analytic: '20', measured: '21' },
    ]);
    expect(compareBackward(analytic, [])).toEqual([{ layer: 'fc1', quantity: 'layer', analytic: 'backward', measured: '(absent)' }]);
  });
});
