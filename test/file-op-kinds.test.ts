// The op kinds model files add (reduce_mean, resize, the elementwise operators, tanh, softmax, pad, gelu, erf, exp, layernorm),
// counted by the peers' rules as docs/conventions.md reads them from the peers' source and measured them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flopsBackward } from '../src/analyzers/backward/flops';
import { macsBackward } from '../src/analyzers/backward/macs';
import { conventionOf, CONVENTIONS, countByRule, countOp } from '../src/analyzers/conventions';
import { makeOp } from '../src/analyzers/ops';
import { profile } from '../src/index';
import { inferShapes } from '../src/model/graph/infer';
import { nodeGroups } from '../src/model/graph/node-groups';
import { readModelFile } from '../src/model/model-file';
import { encodeModel, type NodeSpec } from './support/onnx';

const counts = (op: ReturnType<typeof makeOp>): Record<string, bigint> => Object.fromEntries(CONVENTIONS.map((c) => [c.key, countOp(c, op)]));

describe('model-file op kinds', () => {
  it('nn.Upsample(scale_factor=2, nearest) on 1x8x6x6: thop 1152, fvcore 1152, ptflops 2304 (as measured with the peers)', () => {
    const up = makeOp('up', 'resize', [[1, 8, 6, 6]], [1, 8, 12, 12]);
    expect(counts(up)).toEqual({ thop: 1152n, fvcore: 1152n, ptflops: 2304n, 'ptflops-aten': 0n, macs: 0n, flops: 0n, senet: 0n });
  });

  it('nn.LeakyReLU: thop 0 (its rule returns 0), fvcore unsupported, ptflops numel(out) per image', () => {
    const leaky = makeOp('act', 'leaky_relu', [[2, 16, 8, 8]], [2, 16, 8, 8]);
    expect(counts(leaky)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 16n * 64n, 'ptflops-aten': 0n, macs: 0n, flops: 2n * 2n * 16n * 64n, senet: 0n });
  });

  it('nn.PReLU(8) on 1x8x5x5 after a 1x1 conv 3 -> 8: thop 200 (count_prelu), fvcore unsupported, ptflops 200 + 200 (module and F.prelu), as measured', () => {
    // The peers on Conv2d(3, 8, 1, bias=False) -> nn.PReLU(8) at 1x3x5x5: thop 800, fvcore 600 (aten::prelu unsupported), ptflops 1000; the conv is 600 in each.
    const act = makeOp('act', 'prelu', [[1, 8, 5, 5]], [1, 8, 5, 5], { params: 8n });
    expect(counts(act)).toEqual({ thop: 800n - 600n, fvcore: 0n, ptflops: 1000n - 600n, 'ptflops-aten': 0n, macs: 0n, flops: 2n * 200n, senet: 0n });
    // Backward: greater, dy * slope, select (the input), dy * x, select, and the sum over N, H, W into the 8 slopes.
    expect(countByRule(flopsBackward.prelu, act)).toBe(5n * 200n + (200n - 8n));
    expect(countByRule(macsBackward.prelu, act)).toBe(0n);
  });

  it('ConvTranspose2d(8 -> 4, k4, s2, p1, bias) on 1x8x6x6: thop 73728, fvcore 18432, ptflops and aten 19008 (as measured)', () => {
    const up = makeOp('up', 'conv_transpose', [[1, 8, 6, 6]], [1, 4, 12, 12], {
      attrs: { kernel: [4, 4], stride: 2, groups: 1, bias: true },
      params: 8n * 4n * 16n + 4n,
    });
    const macs = 288n * 4n * 16n;
    expect(counts(up)).toEqual({ thop: 73728n, fvcore: 18432n, ptflops: 19008n, 'ptflops-aten': 19008n, macs, flops: 2n * macs + 576n, senet: macs });
  });

  it('x.mean((2, 3), keepdim=True) is functional: 0 for the peers, numel(in) for flops and senet', () => {
    const mean = makeOp('se.mean', 'reduce_mean', [[1, 64, 7, 7]], [1, 64, 1, 1], { attrs: { kernel: [7, 7] } });
    expect(counts(mean)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 64n * 49n, senet: 64n * 49n });
  });

  it('the operators * + - / ** (ONNX Mul, Add, Sub, Div, Pow) are invisible to thop and ptflops, unsupported in fvcore, one operation per element in flops', () => {
    for (const kind of ['mul', 'add', 'sub', 'div', 'pow'] as const) {
      const op = makeOp(
        kind,
        kind,
        [
          [2, 8, 4, 4],
          [2, 1, 4, 4],
        ],
        [2, 8, 4, 4],
      );
      expect(counts(op)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 256n, senet: 0n });
    }
  });

  it('nn.Tanh: no peer counts it; flops 5 per element', () => {
    const tanh = makeOp('tanh', 'tanh', [[1, 4, 8, 8]], [1, 4, 8, 8]);
    expect(counts(tanh)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 5n * 256n, senet: 0n });
  });

  it('nn.Softmax(dim=1) on 2x10x3x3: thop and flops rows * (3n - 1), ptflops F.softmax numel(in) for the batch', () => {
    // 18 rows of n = 10: 10 exps, 9 adds, 10 divides each.
    const softmax = makeOp('softmax', 'softmax', [[2, 10, 3, 3]], [2, 10, 3, 3], { attrs: { axis: 1 } });
    expect(counts(softmax)).toEqual({ thop: 18n * 29n, fvcore: 0n, ptflops: 180n, 'ptflops-aten': 0n, macs: 0n, flops: 18n * 29n, senet: 0n });
  });

  it('F.pad and the padding modules are copies: 0 everywhere', () => {
    const pad = makeOp('pad', 'pad', [[1, 8, 8, 8]], [1, 8, 10, 10]);
    expect(Object.values(counts(pad)).every((n) => n === 0n)).toBe(true);
  });

  it('backward: tfjs gradients of each operand that is an activation or learned; a literal constant gets none', () => {
    const back = (op: ReturnType<typeof makeOp>): bigint => countByRule(flopsBackward[op.kind], op);
    const [x, y] = [
      [2, 8, 4, 4],
      [2, 1, 4, 4],
    ];
    // a * b, b broadcast over C: dy * b (256) for a; dy * a (256) and its sum over C (256 - 32) for b.
    expect(back(makeOp('m', 'mul', [x, y], x))).toBe(256n + 256n + 224n);
    // x * c: only x's gradient, dy * c.
    expect(back(makeOp('m', 'mul', [x], x, { attrs: { constant: { at: 1, shape: [1, 8, 1, 1] } } }))).toBe(256n);
    // x * g, g a learned gain (params): dy * g (256), and g's gradient dy * x (256) summed over N, H, W (256 - 8).
    expect(back(makeOp('m', 'mul', [x], x, { attrs: { constant: { at: 1, shape: [1, 8, 1, 1] } }, params: 8n }))).toBe(256n + 256n + 248n);
    // x + b, b learned: x's gradient is dy; b's, dy summed into [1, 8, 1, 1].
    expect(back(makeOp('a', 'add', [x], x, { attrs: { constant: { at: 1, shape: [1, 8, 1, 1] } }, params: 8n }))).toBe(248n);
    // c - x: x's gradient is -dy (256 negations); x - c: dy itself.
    expect(back(makeOp('s', 'sub', [x], x, { attrs: { constant: { at: 0, shape: [1, 1, 1, 1] } } }))).toBe(256n);
    expect(back(makeOp('s', 'sub', [x], x, { attrs: { constant: { at: 1, shape: [1, 1, 1, 1] } } }))).toBe(0n);
    // a / b: dy / b (256); dy * a (256), summed over C (224), then b^2, divide, negate (3 * 32).
    expect(back(makeOp('d', 'div', [x, y], x))).toBe(256n + 256n + 224n + 96n);
    // x ** 2: 2 - 1 (1), x^1 (256), 2 * x^1 (256), dy * that (256).
    expect(back(makeOp('p', 'pow', [x], x, { attrs: { constant: { at: 1, shape: [1, 1, 1, 1] } } }))).toBe(1n + 768n);
    // softmax over n = 8 in 32 rows: dy * y, its row sums (32 * 7), times y, subtract.
    expect(back(makeOp('sm', 'softmax', [x], x, { attrs: { axis: 1 } }))).toBe(256n + 224n + 256n + 256n);
    expect(back(makeOp('t', 'tanh', [x], x))).toBe(3n * 256n);
    // Zeros and reflections: a slice of dy (tfjs drops the reflected copies' gradients); edge copies: each added into its edge.
    expect(back(makeOp('pd', 'pad', [x], [2, 8, 6, 6], { attrs: { mode: 'constant' } }))).toBe(0n);
    expect(back(makeOp('pd', 'pad', [x], [2, 8, 6, 6], { attrs: { mode: 'reflect' } }))).toBe(0n);
    expect(back(makeOp('pd', 'pad', [x], [2, 8, 6, 6], { attrs: { mode: 'edge' } }))).toBe(576n - 256n);
    expect(countByRule(macsBackward.mul, makeOp('m', 'mul', [x, y], x))).toBe(0n);
  });
});

describe('transformer-style kinds: nn.GELU, torch.erf, torch.exp, nn.LayerNorm', () => {
  const back = (op: ReturnType<typeof makeOp>): bigint => countByRule(flopsBackward[op.kind], op);
  // 2x3x4x8: numel 192, 96 per image; nn.LayerNorm(8): 24 rows of 8.
  const shape = [2, 3, 4, 8];

  it('nn.GELU on 2x3x4x8: thop and fvcore 0, ptflops 96 per image (module hook) + 192 (F.gelu), as measured with the peers', () => {
    const gelu = makeOp('act', 'gelu', [shape], shape);
    expect(counts(gelu)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 288n, 'ptflops-aten': 0n, macs: 0n, flops: 5n * 192n, senet: 0n });
  });

  it('torch.erf and torch.exp: no peer counts them (fvcore: unsupported); flops one per element', () => {
    for (const kind of ['erf', 'exp'] as const) {
      expect(counts(makeOp(kind, kind, [shape], shape))).toEqual({ thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 192n, senet: 0n });
    }
  });

  it('nn.LayerNorm(8) on 2x3x4x8: thop 768, fvcore 960, ptflops 96 (as measured); without affine thop 384, fvcore 768, ptflops 96', () => {
    const affine = makeOp('ln', 'layernorm', [shape], shape, { attrs: { axis: 3, affine: true, bias: true }, params: 16n });
    // flops: 5 per element (mean, subtract, square, mean, divide) + eps and sqrt per row + scale and shift.
    expect(counts(affine)).toEqual({
      thop: 768n,
      fvcore: 960n,
      ptflops: 96n,
      'ptflops-aten': 0n,
      macs: 0n,
      flops: 5n * 192n + 2n * 24n + 2n * 192n,
      senet: 0n,
    });
    const plain = makeOp('ln', 'layernorm', [shape], shape, { attrs: { axis: 3 } });
    expect(counts(plain)).toEqual({ thop: 384n, fvcore: 768n, ptflops: 96n, 'ptflops-aten': 0n, macs: 0n, flops: 5n * 192n + 2n * 24n, senet: 0n });
  });

  it('nn.LayerNorm([4, 8]): the rows are 6 of 32; the peers count by numel alone (thop 768, fvcore 960, ptflops 96, as measured)', () => {
    const ln = makeOp('ln', 'layernorm', [shape], shape, { attrs: { axis: 2, affine: true, bias: true }, params: 64n });
    expect(counts(ln)).toMatchObject({ thop: 768n, fvcore: 960n, ptflops: 96n, flops: 5n * 192n + 2n * 6n + 2n * 192n });
  });

  it('backward, through the tfjs gradients of what the executor runs', () => {
    const x = makeOp('t', 'gelu', [shape], shape);
    // x * 0.5 (1), the product with x (2), erf's gradient (5), / sqrt(2) (1), the two paths into x (1).
    expect(back(x)).toBe(10n * 192n);
    expect(back(makeOp('e', 'erf', [shape], shape))).toBe(5n * 192n);
    expect(back(makeOp('e', 'exp', [shape], shape))).toBe(192n);
    // N = 192, R = 24 rows, n = 8: the means 2N each, x - mean N, the square 2N, the divide N + 2N + 2R, sqrt 3R,
    // two fan-ins N each; the scale dy * w and dy * x (2N) summed into [n] (N - n); the shift summed (N - n).
    const ln = (affine: boolean, bias: boolean): bigint => back(makeOp('ln', 'layernorm', [shape], shape, { attrs: { axis: 3, affine, bias } }));
    expect(ln(false, false)).toBe(2n * 192n + 192n + 2n * 192n + 2n * 192n + 3n * 192n + 2n * 24n + 3n * 24n + 2n * 192n);
    expect(ln(true, true) - ln(false, false)).toBe(3n * 192n - 8n + 192n - 8n);
    expect(countByRule(macsBackward.layernorm, makeOp('ln', 'layernorm', [shape], shape, { attrs: { axis: 3 } }))).toBe(0n);
  });

  it("ptflops-aten counts a Linear's bias on 2-D and 3-D inputs (aten.addmm), not on 4-D (aten.matmul, then an uncounted add), as measured", () => {
    const aten = (input: number[]): bigint => {
      const op = makeOp('fc', 'linear', [input], [...input.slice(0, -1), 8], { attrs: { bias: true }, params: 16n * 8n + 8n });
      return countOp(conventionOf('ptflops-aten'), op);
    };
    expect([aten([2, 16]), aten([2, 5, 16]), aten([2, 3, 5, 16])]).toEqual([2n * 128n + 2n * 8n, 10n * 128n + 10n * 8n, 30n * 128n]);
  });
});

describe('GELU and LayerNorm in ONNX files: spelled out (opset 13), LayerNormalization (17), Gelu (20)', () => {
  const FIXTURES = join(__dirname, 'fixtures', 'onnx');
  const groups = (file: string): Record<string, string[]> => {
    const modules = nodeGroups(inferShapes(readModelFile(join(FIXTURES, file)), new Map()));
    return Object.fromEntries(modules.map((m) => [m.name, m.nodes.map((n) => n.opType)]));
  };

  it("groups the exporter's nodes as PyTorch's modules", () => {
    const spelled = ['ReduceMean', 'Sub', 'Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add'];
    expect(groups('convnext_block.onnx')).toMatchObject({ norm: spelled, act: ['Div', 'Erf', 'Add', 'Mul', 'Mul'] });
    expect(groups('convnext_block_op17.onnx')).toMatchObject({ norm: ['LayerNormalization'], act: ['Div', 'Erf', 'Add', 'Mul', 'Mul'] });
    expect(groups('convnext_block_op20.onnx')).toMatchObject({ norm: ['LayerNormalization'], act: ['Gelu'] });
    // The normal CDF 0.5 * (1 + erf(z / sqrt(2))) does not multiply by z: no GELU, four ops.
    expect(groups('vit_head.onnx')).toMatchObject({ norm1: spelled, norm: spelled, div: ['Div'], erf: ['Erf'], add_1: ['Add'], mul: ['Mul'], exp: ['Exp'] });
  });

  // make_fixtures.py at batch 1. ConvNeXtBlock(16) on 16x8x8: 64 positions; depthwise 7x7 with bias;
  // LayerNorm(16) over 64 rows (numel 1024); Linears 16 -> 64 -> 16 on the 4-D map; GELU on 4096.
  const convnext = {
    kinds: ['conv2d', 'layernorm', 'linear', 'gelu', 'linear', 'add'],
    params: 16n * 49n + 16n + 32n + 16n * 64n + 64n + 64n * 16n + 16n,
    thop: 1024n * 49n + 4n * 1024n + 2n * 64n * 16n * 64n,
    fvcore: 1024n * 49n + 5n * 1024n + 2n * 64n * 16n * 64n,
    // Per image: the conv and its bias, LayerNorm numel, the Linears and biases, GELU's module hook; + F.gelu.
    ptflops: 1024n * 50n + 1024n + 64n * (16n * 64n + 64n) + 4096n + 64n * (64n * 16n + 16n) + 4096n,
    // Bias of the 4-D Linears not counted.
    'ptflops-aten': 1024n * 50n + 2n * 64n * 16n * 64n,
    macs: 1024n * 49n + 2n * 64n * 16n * 64n,
    flops: 2n * 1024n * 49n + 1024n + (5n * 1024n + 2n * 64n + 2n * 1024n) + (2n * 65536n + 4096n) + 5n * 4096n + (2n * 65536n + 1024n) + 1024n,
  };
  // ViTHead(16, 8) on 3x16x16: patch 4x4 conv to 16 tokens of 16 (numel 256); LayerNorm(16) twice on 16 rows; Linears
  // 16 -> 32 -> 16 on the 3-D tokens; GELU on 512; head Linear(256, 8); exp, and /, erf, +, * on the 8 logits.
  const vit = {
    kinds: ['conv2d', 'layernorm', 'linear', 'gelu', 'linear', 'add', 'layernorm', 'linear', 'exp', 'div', 'erf', 'add', 'mul', 'concat'],
    params: 3n * 16n * 16n + 16n + 32n + 16n * 32n + 32n + 32n * 16n + 16n + 32n + 256n * 8n + 8n,
    thop: 256n * 48n + 2n * 4n * 256n + 2n * 8192n + 2048n,
    fvcore: 256n * 48n + 2n * 5n * 256n + 2n * 8192n + 2048n,
    ptflops: 256n * 49n + 2n * 256n + (8192n + 512n) + 2n * 512n + (8192n + 256n) + 2056n,
    // The 3-D Linears' biases are counted (aten.addmm).
    'ptflops-aten': 256n * 49n + (8192n + 512n) + (8192n + 256n) + 2056n,
    macs: 256n * 48n + 2n * 8192n + 2048n,
    flops:
      2n * 256n * 48n + 256n + 2n * (5n * 256n + 2n * 16n + 2n * 256n) + (2n * 8192n + 512n) + 5n * 512n + (2n * 8192n + 256n) + 256n + (4096n + 8n) + 5n * 8n,
  };
  const cases = [
    ...['convnext_block', 'convnext_block_op17', 'convnext_block_op20'].map((f) => [f, convnext] as const),
    ...['vit_head', 'vit_head_op17', 'vit_head_op20'].map((f) => [f, vit] as const),
  ];

  it.each(cases)('%s: every op has a kind, and the totals are the closed forms', async (file, expected) => {
    const result = await profile({ file: join(FIXTURES, `${file}.onnx`) });
    expect(result.file?.unsupported).toEqual([]);
    expect(result.layers.map((l) => l.op.kind)).toEqual(expected.kinds);
    const { kinds, params, ...conventions } = expected;
    expect(result.totals.params).toBe(params);
    expect(result.totals.counts).toMatchObject({ ...conventions, senet: conventions.macs });
  });
});

describe('near misses stay the ops they are', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'seprof-fusions-'));
  const constant = (name: string, value: number): NodeSpec => ({
    op: 'Constant',
    inputs: [],
    outputs: [name],
    attrs: [{ name: 'value_float', type: 1, f: value }],
  });
  const kinds = (name: string, nodes: NodeSpec[], initializers: { name: string; dims: number[]; rawData: Uint8Array }[] = []): string[][] => {
    const path = join(tmp, `${name}.onnx`);
    writeFileSync(path, encodeModel({ input: { name: 'x', dims: [1, 4, 8] }, nodes, initializers, outputs: [nodes.at(-1)?.outputs[0] ?? 'y'] }));
    return nodeGroups(inferShapes(readModelFile(path), new Map())).map((m) => m.nodes.map((n) => n.opType));
  };
  const gelu = (divisor: number, half: number): NodeSpec[] => [
    constant('r', divisor),
    constant('one', 1),
    constant('h', half),
    { op: 'Div', inputs: ['x', 'r'], outputs: ['t'] },
    { op: 'Erf', inputs: ['t'], outputs: ['e'] },
    { op: 'Add', inputs: ['e', 'one'], outputs: ['a'] },
    { op: 'Mul', inputs: ['x', 'a'], outputs: ['m'] },
    { op: 'Mul', inputs: ['m', 'h'], outputs: ['y'] },
  ];
  const norm = (exponent: number, scale: string): NodeSpec[] => [
    constant('p', exponent),
    constant('eps', 1e-5),
    { op: 'ReduceMean', inputs: ['x'], outputs: ['mu'], attrs: [{ name: 'axes', type: 7, ints: [-1] }] },
    { op: 'Sub', inputs: ['x', 'mu'], outputs: ['d'] },
    { op: 'Pow', inputs: ['d', 'p'], outputs: ['d2'] },
    { op: 'ReduceMean', inputs: ['d2'], outputs: ['v'], attrs: [{ name: 'axes', type: 7, ints: [-1] }] },
    { op: 'Add', inputs: ['v', 'eps'], outputs: ['ve'] },
    { op: 'Sqrt', inputs: ['ve'], outputs: ['s'] },
    { op: 'Div', inputs: ['d', 's'], outputs: ['n'] },
    { op: 'Mul', inputs: ['n', scale], outputs: ['y'] },
  ];
  const weight = [{ name: 'w', dims: [8], rawData: new Uint8Array(new Float32Array(8).fill(1).buffer) }];

  it('GELU needs x / sqrt(2), + 1, times x, times 0.5', () => {
    expect(kinds('gelu', gelu(Math.SQRT2, 0.5))).toEqual([['Div', 'Erf', 'Add', 'Mul', 'Mul']]);
    expect(kinds('div-2', gelu(2, 0.5))).toEqual([['Div'], ['Erf'], ['Add'], ['Mul'], ['Mul']]);
    expect(kinds('half-0.4', gelu(Math.SQRT2, 0.4))).toEqual([['Div'], ['Erf'], ['Add'], ['Mul'], ['Mul']]);
  });

  it('LayerNorm needs the square, and takes a Mul as its scale only by a learned tensor of a row', () => {
    expect(kinds('norm', norm(2, 'w'), weight)).toEqual([['ReduceMean', 'Sub', 'Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul']]);
    expect(kinds('cube', norm(3, 'w'), weight)).toHaveLength(8);
    // Times a constant (not an nn.Parameter): nn.LayerNorm(elementwise_affine=False), then `* 0.5`.
    expect(kinds('constant-scale', [constant('c', 0.5), ...norm(2, 'c')])).toEqual([['ReduceMean', 'Sub', 'Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div'], ['Mul']]);
  });
});
