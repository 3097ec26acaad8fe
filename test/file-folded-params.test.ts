// Folded initializers that are nn.Parameters (held-out check, session 3): the exporter folds a
// parameter reshaped in forward into an `onnx::` initializer. SSD's L2Norm
// (`self.scale_weight.view(1, -1, 1, 1) * F.normalize(x)`, torchvision's ssd.py) is one: PyTorch's
// sum(p.numel()) counts its C scales (ssd300_vgg16's backbone: 512, the real peers' params). A
// FrozenBatchNorm2d's folded scale and shift (x * scale + shift, buffers in PyTorch) stay constants.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { encodeModel, type ModelSpec, type NodeSpec } from './support/onnx';

const tmp = mkdtempSync(join(tmpdir(), 'seprof-folded-params-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TENSOR = 4;
const floats = (n: number, v: number) => new Uint8Array(new Float32Array(n).fill(v).buffer);
const channelConstant = (name: string) => ({ name, dims: [1, 4, 1, 1], rawData: floats(4, 20) });

/** A file PyTorch's exporter might have written: x of 2x4x3x3 through `nodes` to y. */
function pytorchFile(name: string, nodes: NodeSpec[], initializers: ModelSpec['initializers']): string {
  const path = join(tmp, name);
  writeFileSync(path, encodeModel({ producer: 'pytorch', input: { name: 'x', dims: [2, 4, 3, 3] }, nodes, initializers, outputs: ['y'] }));
  return path;
}

describe('folded per-channel operands: learned or constant by the pattern they sit in', () => {
  it("F.normalize(x) times a folded [1, C, 1, 1] scale: SSD's L2Norm, C params", async () => {
    const path = pytorchFile(
      'l2norm.onnx',
      [
        {
          op: 'ReduceL2',
          name: '/ReduceL2',
          inputs: ['x'],
          outputs: ['n'],
          attrs: [
            { name: 'axes', type: 7, ints: [1] },
            { name: 'keepdims', type: 2, i: 1 },
          ],
        },
        {
          op: 'Constant',
          name: '/Constant',
          inputs: [],
          outputs: ['eps'],
          attrs: [{ name: 'value', type: TENSOR, t: { name: 'eps', dims: [], rawData: floats(1, 1e-12) } }],
        },
        { op: 'Clip', name: '/Clip', inputs: ['n', 'eps'], outputs: ['c'] },
        { op: 'Shape', name: '/Shape', inputs: ['x'], outputs: ['s'] },
        { op: 'Expand', name: '/Expand', inputs: ['c', 's'], outputs: ['e'] },
        { op: 'Div', name: '/Div', inputs: ['x', 'e'], outputs: ['d'] },
        { op: 'Mul', name: '/Mul', inputs: ['onnx::Mul_9', 'd'], outputs: ['y'] },
      ],
      [channelConstant('onnx::Mul_9')],
    );
    const result = await profile({ file: path });
    expect(result.totals.params).toBe(4n);
    expect(result.file?.notes.some((note) => note.includes('onnx::Mul_9'))).toBe(false);
  });

  it("x * scale + shift, folded (FrozenBatchNorm2d's buffers): constants, 0 params, listed", async () => {
    const path = pytorchFile(
      'frozen-bn.onnx',
      [
        { op: 'Mul', name: '/bn1/Mul', inputs: ['x', 'onnx::Mul_10'], outputs: ['m'] },
        { op: 'Add', name: '/bn1/Add', inputs: ['m', 'onnx::Add_11'], outputs: ['y'] },
      ],
      [channelConstant('onnx::Mul_10'), channelConstant('onnx::Add_11')],
    );
    const result = await profile({ file: path });
    expect(result.totals.params).toBe(0n);
    expect(result.file?.notes.some((note) => note.includes('onnx::Mul_10 (1x4x1x1)') && note.includes('onnx::Add_11 (1x4x1x1)'))).toBe(true);
  });
});
