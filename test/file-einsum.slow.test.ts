// Einsum as an op kind and the shape arithmetic real exports use (issue 20, item 5): counts by
// the peers' rules worked by hand (fvcore's numpy path count to 4 significant digits), Swin's
// window padding `(w - W % w) % w` folded, and a refusal that names the node that caused it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fourSignificant } from '../src/analyzers/conventions/fvcore';
import { profile } from '../src/index';
import { expectOneLineFailure, seprofInProcess } from './support/cli';
import { encodeModel, type ModelSpec } from './support/onnx';

const STRING = 3;
const dir = mkdtempSync(join(tmpdir(), 'seprof-einsum-'));
const file = (name: string, model: ModelSpec): string => {
  const path = join(dir, name);
  writeFileSync(path, encodeModel(model));
  return path;
};
const equation = (s: string) => [{ name: 'equation', type: STRING, s: new TextEncoder().encode(s) }];
const ints = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: 7, int64Data: values });

describe('einsum', () => {
  it("fvcore's 4 significant digits round half to even, as Python's '%.3e'", () => {
    expect([26215n, 26225n, 26226n, 49153n, 999n].map(fourSignificant)).toEqual([26220n, 26220n, 26230n, 49150n, 999n]);
  });

  it('q.k^T over windows: thop and ptflops 0, fvcore by numpy, ptflops-aten, macs and flops by P; measured on the executor', async () => {
    // x [2, 3, 16, 16] and relu(x): bchw,bcgw->bchg, P = 2*3*16*16*16 = 24576 multiply-accumulates.
    const path = file('qk.onnx', {
      input: { name: 'x', dims: [2, 3, 16, 16] },
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['r'], name: '/relu/Relu' },
        { op: 'Einsum', inputs: ['x', 'r'], outputs: ['y'], name: '/Einsum', attrs: equation('bchw,bcgw->bchg') },
      ],
    });
    const result = await profile({ file: path, measure: true, backend: 'cpu' });
    const op = result.layers.find((l) => l.op.kind === 'einsum');
    const p = 24576n;
    expect(op?.op.outputShape).toEqual([2, 3, 16, 16]);
    expect(op?.counts).toMatchObject({
      thop: 0n,
      // renamed abcd,abed->abce: not one of fvcore's two exact forms; numpy's 2P + 1 = 49153 prints 4.915e+04, halved: 24575.
      fvcore: 24575n,
      ptflops: 0n,
      'ptflops-aten': p,
      macs: p,
      flops: 2n * p,
    });
    expect(result.check.status).toBe('match');
  });

  it("fvcore's exact forms (abc,abd->acd, abc,adc->adb) are not rounded; --training measures the einsum's gradient", async () => {
    // a [2, 5, 7] and b [2, 5, 3]: bij,bik->bjk renames to abc,abd->acd: n*c*t*p = 2*5*7*3 = 210.
    const path = file('bmm.onnx', {
      input: { name: 'x', dims: [2, 5, 7] },
      nodes: [
        { op: 'Slice', inputs: ['x', 'start', 'end', 'axis'], outputs: ['b'], name: '/Slice' },
        { op: 'Relu', inputs: ['x'], outputs: ['a'], name: '/relu/Relu' },
        { op: 'Einsum', inputs: ['a', 'b'], outputs: ['y'], name: '/Einsum', attrs: equation('bij,bik->bjk') },
      ],
      initializers: [ints('start', [0]), ints('end', [3]), ints('axis', [2])],
    });
    const result = await profile({ file: path, measure: true, backend: 'cpu', training: true });
    const op = result.layers.find((l) => l.op.kind === 'einsum');
    expect(op?.counts).toMatchObject({ fvcore: 210n, 'ptflops-aten': 210n, macs: 210n });
    expect(result.check.status).toBe('match');
  });
});

describe('shape arithmetic and refusals', () => {
  // Swin's window padding: pad_b = (w - H % w) % w with w = 7 on H = 10: (7 - 3) % 7 = 4.
  const padded = (modOp: string): ModelSpec => ({
    input: { name: 'x', dims: [1, 2, 10, 10] },
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'], name: '/Shape' },
      { op: 'Gather', inputs: ['s', 'two'], outputs: ['h'], name: '/Gather' },
      { op: modOp, inputs: ['h', 'w'], outputs: ['hm'], name: `/${modOp}` },
      { op: 'Sub', inputs: ['w', 'hm'], outputs: ['d'], name: '/Sub' },
      { op: 'Mod', inputs: ['d', 'w'], outputs: ['p'], name: '/Mod_1' },
      // [N, C, H, W begins, N, C ends], then the H and W ends: bottom and right, as Swin pads.
      { op: 'Concat', inputs: ['zeros', 'p', 'p'], outputs: ['pads'], name: '/Concat', attrs: [{ name: 'axis', type: 2, i: 0 }] },
      { op: 'Pad', inputs: ['x', 'pads'], outputs: ['y'], name: '/Pad' },
    ],
    initializers: [ints('two', [2]), ints('w', [7]), { name: 'zeros', dims: [6], dataType: 7, int64Data: [0, 0, 0, 0, 0, 0] }],
  });

  it("Mod folds as Python's %: Swin's (w - H % w) % w pads a 10x10 map to 14x14", async () => {
    const result = await profile({ file: file('mod.onnx', padded('Mod')) });
    expect(result.layers.map((l) => [l.op.kind, l.op.outputShape])).toEqual([['pad', [1, 2, 14, 14]]]);
  });

  it('a refusal names the node that caused it: pads computed from an op without a shape rule', async () => {
    // Round has no shape rule here: its value is unknown, so the Pad cannot know its pads.
    const run = await seprofInProcess([file('round.onnx', padded('Round')), '--no-measure']);
    expectOneLineFailure(
      run,
      2,
      /node '\/Pad' \(Pad\): .*computed from data.*traced to node '\/Round' \(Round\), an op seprof has no shape rule for: its output's shape was assumed/,
    );
  });
});
