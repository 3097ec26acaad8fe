// Reading model files and inferring their shapes: the PyTorch-exported fixtures, the
// refusals (empty, truncated, corrupt, wrong format, cycles, unknown inputs), and speed.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { inferShapes } from '../src/model/graph/infer';
import { floatWeights } from '../src/model/graph/weights';
import { parseInputOption } from '../src/model/graph/inputs';
import { readModelFile } from '../src/model/model-file';
import { encodeModel, type ModelSpec } from './support/onnx';

const FIXTURES = join(__dirname, 'fixtures', 'onnx');
const fixture = (name: string): string => join(FIXTURES, name);
const tmp = mkdtempSync(join(tmpdir(), 'seprof-model-file-'));

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

/** The shapes of the nodes that compute (not folded), by node name. */
function shapes(path: string, inputs: string[] = []): Record<string, string> {
  const inferred = inferShapes(readModelFile(path), parseInputOption(inputs));
  return Object.fromEntries(
    inferred.order.filter((n) => !inferred.folded.has(n)).map((n) => [n.name, (inferred.tensors.get(n.outputs[0] as string)?.shape ?? []).join('x')]),
  );
}

function refused(run: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain('\n');
}

const conv: ModelSpec = {
  nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: [{ name: 'kernel_shape', type: 7, ints: [3, 3] }] }],
  initializers: [{ name: 'w', dims: [4, 8, 3, 3] }],
};

describe('ONNX files exported from PyTorch', () => {
  it('infers the SE-ResNet block (opset 13, open batch) and folds its view() shape arithmetic', () => {
    const s = shapes(fixture('se_resnet_block.onnx'));
    expect(s['/conv1/Conv']).toBe('1x32x14x14');
    expect(s['/conv3/Conv']).toBe('1x128x14x14');
    expect(s['/se/Reshape']).toBe('1x128');
    expect(s['/se/fc1/MatMul']).toBe('1x8');
    expect(s['/se/Reshape_1']).toBe('1x128x1x1');
    expect(s['/se/Mul']).toBe('1x128x14x14');
    expect(Object.keys(s).some((name) => /Shape|Gather|Unsqueeze|Concat|Constant/.test(name))).toBe(false);
  });

  it('sets the batch with --input and follows it through the folded reshapes', () => {
    const s = shapes(fixture('se_resnet_block.onnx'), ['images=3x128x14x14']);
    expect(s['/se/Reshape']).toBe('3x128');
    expect(s['/se/Mul']).toBe('3x128x14x14');
  });

  it('infers the MobileNetV3 block (opset 14, depthwise conv, HardSwish, hard-sigmoid SE)', () => {
    const s = shapes(fixture('mbv3_block.onnx'));
    expect(s['/depthwise/depthwise.0/Conv']).toBe('1x64x28x28');
    expect(s['/se/fc1/Conv']).toBe('1x16x1x1');
    expect(s['/se/Mul']).toBe('1x64x28x28');
  });

  it('infers the YOLO-style net (opset 11: chunk as Slice on computed bounds, SPPF, Resize)', () => {
    const s = shapes(fixture('tiny_yolo_se.onnx'));
    expect(s['/Slice']).toBe('1x16x16x16');
    expect(s['/Concat']).toBe('1x48x16x16');
    expect(s['/pool_2/MaxPool']).toBe('1x16x16x16');
    expect(s['/up/Resize']).toBe('1x32x32x32');
    expect(s['/head/Conv']).toBe('1x21x32x32');
  });

  it('reads a model with external data without reading the data; without its data file it counts, and only the weights are refused', () => {
    expect(shapes(fixture('se_resnet_block_external.onnx'))['/se/Mul']).toBe('1x128x14x14');
    const alone = join(tmp, 'alone.onnx');
    copyFileSync(fixture('se_resnet_block_external.onnx'), alone);
    // Weights stripped (the data file deleted): the graph and every initializer's dims stay.
    expect(shapes(alone)['/se/Mul']).toBe('1x128x14x14');
    const external = [...readModelFile(alone).initializers.values()].find((init) => init.data?.kind === 'missing');
    expect(external).toBeDefined();
    refused(
      () => floatWeights(external!),
      /external data file 'se_resnet_block_external.data' of initializer .* not found: the measured run needs the weights/,
    );
  });
});

describe('refusing what is not a usable model, in one line', () => {
  const good = encodeModel(conv);

  it('refuses empty, truncated, corrupt and wrong-format files', () => {
    refused(() => readModelFile(write('empty.onnx', new Uint8Array())), /empty/);
    refused(() => readModelFile(join(tmp, 'none.onnx')), /no such file/);
    refused(() => readModelFile(write('half.onnx', good.subarray(0, good.length - 7))), /not a readable ONNX model|truncated|no ONNX graph/);
    refused(
      () =>
        readModelFile(
          write(
            'noise.onnx',
            new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251),
          ),
        ),
      /not a readable ONNX model|not an ONNX model/,
    );
    refused(() => readModelFile(write('image.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))), /not a readable ONNX model|not an ONNX model/);
    refused(() => readModelFile(write('model.json', '{"hello": 1}')), /not a TensorFlow.js LayersModel/);
    refused(() => readModelFile(write('bad.json', '{"modelTopology": ')), /not valid JSON/);
  });

  it('refuses a cycle, an unknown tensor, an opset out of range and an unknown --input name', () => {
    const cycle = encodeModel({
      nodes: [
        { op: 'Relu', inputs: ['b'], outputs: ['a'], name: 'first' },
        { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'second' },
      ],
    });
    refused(() => inferShapes(readModelFile(write('cycle.onnx', cycle)), new Map()), /cycle through node '(first|second)'/);
    const dangling = encodeModel({ nodes: [{ op: 'Relu', inputs: ['nowhere'], outputs: ['y'], name: 'r' }] });
    refused(() => inferShapes(readModelFile(write('dangling.onnx', dangling)), new Map()), /node 'r' reads 'nowhere'/);
    refused(() => readModelFile(write('old.onnx', encodeModel({ ...conv, opset: 9 }))), /opset 9 is not supported/);
    refused(() => inferShapes(readModelFile(write('conv.onnx', good)), parseInputOption(['images=1x8x4x4'])), /no input 'images' \(its inputs: x\)/);
  });

  it('names the node where shapes contradict each other', () => {
    refused(
      () => inferShapes(readModelFile(write('conv2.onnx', good)), parseInputOption(['x=1x5x4x4'])),
      /node 'n0' \(Conv\): input has 5 channels, weight expects 8/,
    );
    refused(() => inferShapes(readModelFile(fixture('se_resnet_block.onnx')), parseInputOption(['images=1x128x14'])), /rank 4, got 3/);
  });

  it('asks for a shape it cannot know', () => {
    const open = encodeModel({ ...conv, input: { name: 'x', dims: [1, 8, 'height', 'width'] } });
    refused(() => inferShapes(readModelFile(write('open.onnx', open)), new Map()), /open dimension 2 \('height'\): give the shape with --input x=1x8xNxN/);
    expect(inferShapes(readModelFile(write('open2.onnx', open)), parseInputOption(['x=1x8x6x6'])).tensors.get('y')?.shape).toEqual([1, 4, 4, 4]);
  });
});

describe('opset differences', () => {
  it('reads axes, split sizes and pads given as inputs (opset 18) and as attributes (opset 11)', () => {
    const axes = { name: 'axes', dims: [2], dataType: 7, int64Data: [2, 3] };
    const pads = { name: 'pads', dims: [4], dataType: 7, int64Data: [1, 1, 1, 1] };
    const padAxes = { name: 'pad_axes', dims: [2], dataType: 7, int64Data: [2, 3] };
    const opset18 = encodeModel({
      opset: 18,
      nodes: [
        { op: 'ReduceMean', inputs: ['x', 'axes'], outputs: ['m'] },
        {
          op: 'Split',
          inputs: ['x'],
          outputs: ['a', 'b'],
          attrs: [
            { name: 'axis', type: 2, i: 1 },
            { name: 'num_outputs', type: 2, i: 2 },
          ],
        },
        { op: 'Pad', inputs: ['a', 'pads', '', 'pad_axes'], outputs: ['p'] },
      ],
      initializers: [axes, pads, padAxes],
      outputs: ['m', 'b', 'p'],
    });
    const at18 = inferShapes(readModelFile(write('opset18.onnx', opset18)), new Map());
    expect(['m', 'b', 'p'].map((t) => at18.tensors.get(t)?.shape.join('x'))).toEqual(['1x8x1x1', '1x4x4x4', '1x4x6x6']);
    const opset11 = encodeModel({
      opset: 11,
      nodes: [
        {
          op: 'ReduceMean',
          inputs: ['x'],
          outputs: ['m'],
          attrs: [
            { name: 'axes', type: 7, ints: [2, 3] },
            { name: 'keepdims', type: 2, i: 0 },
          ],
        },
        { op: 'Unsqueeze', inputs: ['m'], outputs: ['u'], attrs: [{ name: 'axes', type: 7, ints: [2] }] },
      ],
      outputs: ['u'],
    });
    expect(inferShapes(readModelFile(write('opset11.onnx', opset11)), new Map()).tensors.get('u')?.shape).toEqual([1, 8, 1]);
  });
});

describe('large files', () => {
  it('profiles a 100 MB ONNX model analytically with its weights untouched: a view of the file, never a copy', () => {
    const weights = new Uint8Array(50176 * 512 * 4); // 102,760,448 bytes
    const big = encodeModel({
      input: { name: 'x', dims: [1, 1024, 7, 7] },
      nodes: [
        { op: 'MatMul', inputs: ['f', 'w'], outputs: ['y'] },
        { op: 'Flatten', inputs: ['x'], outputs: ['f'] },
      ].reverse(),
      initializers: [{ name: 'w', dims: [50176, weights.length / 4 / 50176], rawData: weights }],
    });
    const path = write('big.onnx', big);
    // How fast (102 MB in well under a second): `npm run bench`, not a test.
    const graph = readModelFile(path);
    const inferred = inferShapes(graph, new Map());
    expect(inferred.tensors.get('y')?.shape).toEqual([1, weights.length / 4 / 50176]);
    const w = graph.initializers.get('w');
    expect(w?.values).toBeUndefined();
    const data = w?.data;
    if (data?.kind !== 'inline') throw new Error(`expected the weights as a view of the file, got ${data?.kind}`);
    expect(data.bytes.byteLength).toBe(weights.length);
    expect(data.bytes.buffer.byteLength).toBeGreaterThanOrEqual(big.length); // the whole file's buffer behind it
  });
});
