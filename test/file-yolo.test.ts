// YOLO's model summary (issue 20, item 6): YOLOv9's and Ultralytics' model_info prints GFLOPs from
// thop at a 1 x 3 x S x S input (S the largest stride, in the export's metadata) scaled by the image
// area over S x S. Worked by hand on a small graph with an SE block on a stride-32 map, where the
// summary's scaling misstates SE: its pooled features and FC layers do not grow with the image.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { seprofInProcess } from './support/cli';
import { encodeModel } from './support/onnx';

const INTS = 7;
const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
const transB = [{ name: 'transB', type: 2, i: 1 }];

/** 1x3x128x128 -> Conv(3, 64, k=32, s=32) -> 1x64x4x4 -> SE(64, hidden 16) -> x * gate; metadata stride 32. */
function yoloFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'seprof-yolo-')), 'tiny_yolo.onnx');
  writeFileSync(
    path,
    encodeModel({
      input: { name: 'images', dims: [1, 3, 128, 128] },
      metadata: [
        { key: 'stride', value: '32' },
        { key: 'names', value: "{0: 'a'}" },
      ],
      nodes: [
        { op: 'Conv', inputs: ['images', 'w', 'b'], outputs: ['x'], name: '/model.0/conv/Conv', attrs: [{ name: 'strides', type: INTS, ints: [32, 32] }] },
        { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['p'], name: '/model.1/avg_pool/GlobalAveragePool' },
        { op: 'Flatten', inputs: ['p'], outputs: ['f'], name: '/model.1/Flatten' },
        { op: 'Gemm', inputs: ['f', 'fc1'], outputs: ['h'], name: '/model.1/fc/fc.0/Gemm', attrs: transB },
        { op: 'Relu', inputs: ['h'], outputs: ['r'], name: '/model.1/fc/fc.1/Relu' },
        { op: 'Gemm', inputs: ['r', 'fc2'], outputs: ['g'], name: '/model.1/fc/fc.2/Gemm', attrs: transB },
        { op: 'Sigmoid', inputs: ['g'], outputs: ['s'], name: '/model.1/fc/fc.3/Sigmoid' },
        { op: 'Reshape', inputs: ['s', 'shape'], outputs: ['gate'], name: '/model.1/Reshape' },
        { op: 'Mul', inputs: ['x', 'gate'], outputs: ['y'], name: '/model.1/Mul' },
      ],
      initializers: [
        { name: 'w', dims: [64, 3, 32, 32], rawData: f32(64 * 3 * 32 * 32) },
        { name: 'b', dims: [64], rawData: f32(64) },
        { name: 'fc1', dims: [16, 64], rawData: f32(1024) },
        { name: 'fc2', dims: [64, 16], rawData: f32(1024) },
        { name: 'shape', dims: [4], dataType: 7, int64Data: [1, 64, 1, 1] },
      ],
    }),
  );
  return path;
}

describe("YOLO's model summary", () => {
  // At 1x3x32x32: the conv 1*64*1*1 outputs x 3*32*32 = 196,608; the pool (1 + 1) * 64 = 128; the FC layers 2 * 64 * 16 = 2,048.
  const thopAtStride = 196_608 + 128 + 2_048;
  // (128 / 32)^2 = 16, and 2 FLOPs per MAC.
  const flops = thopAtStride * 2 * 16;

  it('reproduces the figure from the ops at the image size, and the plain model beside it', async () => {
    const result = await profile({ file: yoloFile() });
    expect(result.file?.yolo?.figure).toEqual({ thopAtStride, flops, gflops: (flops / 1e9).toFixed(1) });
    expect(result.file?.yolo?.plain).toMatchObject({ thopAtStride: 196_608, flops: 196_608 * 32, baseline: 'without-se' });
    // The SE block at the image: the pool (16 + 1) * 64 = 1,088 and the FC layers 2,048, times 2; the summary counts (128 + 2,048) * 32.
    expect(result.file?.yolo?.seBlocks).toEqual([{ where: 'model.1', summary: (128 + 2_048) * 32, atImage: (1_088 + 2_048) * 2 }]);
  });

  it('prints the summary line and the note on what SE costs', async () => {
    const run = await seprofInProcess([yoloFile(), '--no-measure']);
    expect(run.stdout).toMatch(
      /^YOLO summary: 0\.0 GFLOPs \(YOLOv9's and Ultralytics' model_info: thop at 1x3x32x32, 198,784 MACs, x 2, scaled by the image area over 32x32\); without its SE blocks: 0\.0 GFLOPs$/m,
    );
    expect(run.stdout).toMatch(
      /^Note: YOLO's summary overstates what SE block model\.1 costs: it counts 69,632 FLOPs for it [^\n]*, 11\.1 times the 6,272 \(2 x thop\)/m,
    );
    const json = JSON.parse((await seprofInProcess([yoloFile(), '--no-measure', '--format', 'json'])).stdout) as { file: { yolo: { stride: number } } };
    expect(json.file.yolo.stride).toBe(32);
  });

  it('a file without a stride in its metadata has no summary line', async () => {
    const run = await seprofInProcess([join(__dirname, 'fixtures', 'onnx', 'tiny_yolo_se.onnx'), '--no-measure']);
    expect(run.stdout).not.toMatch(/YOLO summary/);
  });
});
