// seprof --file on the PyTorch-exported fixtures and on LayersModels saved here. Expected
// counts come from the PyTorch definitions in fixtures/onnx/make_fixtures.py (BN folded
// into the convs by the exporter) and the peers' rules, worked out below, not from seprof.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeModel } from './support/onnx';
import { expectUsageError, seprofInProcess } from './support/cli';

const FIXTURES = join('test', 'fixtures', 'onnx');
const tmp = mkdtempSync(join(tmpdir(), 'seprof-cli-file-'));

interface Totals {
  params: number | string;
  counts: Record<string, number | string>;
}
interface FileJson {
  totals: Totals;
  layers: { name: string; op: string; params: number }[];
  overhead: { plainTotals: Totals; added: Totals } | null;
  file: {
    notes: string[];
    unsupported: { opType: string; nodes: string[] }[];
    seBlocks: { where: string; channels: number; hidden: number; reduction: number; gate: string; bias: boolean; totals: Totals }[];
  };
}

async function profileJson(args: string[]): Promise<FileJson> {
  const run = await seprofInProcess([...args, '--no-measure', '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as FileJson;
}

// SE-ResNet bottleneck 128 -> 32 -> 128 at 14x14 (HW = 196), BN folded: every conv has a bias.
const HW = 196;
const resnet = {
  params: { conv1: 128 * 32 + 32, conv2: 32 * 32 * 9 + 32, conv3: 32 * 128 + 128, se: 2 * 128 * 8 },
  convMacs: 32 * HW * 128 + 32 * HW * 32 * 9 + 128 * HW * 32,
};

// TinyYoloOps (make_fixtures.py) on 1x3x16x16, BN folded: each conv's output elements, MACs and params.
const yolo = {
  // stem 3->8 k3 s2 (8x8), conv 8->8 k3 on the reflect-padded 10x10, attn 8->1 k1, down 8->16 k3 s2 on the
  // edge-padded 9x9 (4x4), cls 24->4 k1, box 24->4 k3 on the zero-padded 10x10.
  convOut: 512 + 512 + 64 + 256 + 256 + 256,
  convMacs: 512 * 3 * 9 + 512 * 8 * 9 + 64 * 8 + 256 * 8 * 9 + 256 * 24 + 256 * 24 * 9,
  params: 8 * 27 + 8 + (8 * 72 + 8) + (8 + 1) + 8 + (16 * 72 + 16) + (4 * 24 + 4) + (4 * 216 + 4),
  // AvgPool2d(3, 1, padding=1) on the unpadded 8x8x8; nn.Upsample to 16x8x8; softmax over 4 channels in 64 rows.
  pool: 512,
  up: 1024,
  softmaxThop: 64 * (3 * 4 - 1),
};

describe('seprof --file on ONNX exported from PyTorch', () => {
  it('counts the SE-ResNet block as thop and fvcore count the BN-fused PyTorch block', async () => {
    const p = await profileJson(['--file', join(FIXTURES, 'se_resnet_block.onnx')]);
    const { conv1, conv2, conv3, se } = resnet.params;
    expect(Number(p.totals.params)).toBe(conv1 + conv2 + conv3 + se);
    // thop: convs numel(out) * Cin * k * k; AdaptiveAvgPool2d (HW + 1) * numel(out); Linear in * out.
    expect(Number(p.totals.counts['thop'])).toBe(resnet.convMacs + (HW + 1) * 128 + 2 * 128 * 8);
    // fvcore: the same convs and linears; adaptive_avg_pool2d numel(in); relu, sigmoid, mul, add not counted.
    expect(Number(p.totals.counts['fvcore'])).toBe(resnet.convMacs + HW * 128 + 2 * 128 * 8);
    // ptflops' aten backend: aten.convolution with its (folded) bias numel(out), aten.mm in * out; the rest 0.
    expect(Number(p.totals.counts['ptflops-aten'])).toBe(resnet.convMacs + (32 + 32 + 128) * HW + 2 * 128 * 8);
    expect(p.file.notes.join(' ')).toMatch(/any BN the model had was folded into the convs/);
    expect(p.file.unsupported).toEqual([]);
  });

  it('counts the YOLO-style net with elementwise ops, padding, softmax and tanh heads as the peers count the PyTorch model', async () => {
    const p = await profileJson(['--file', join(FIXTURES, 'tiny_yolo_ops.onnx'), '--conventions', 'all', '--strict']);
    expect(p.file.unsupported).toEqual([]);
    // One op per PyTorch op: the exporter's Pad + AveragePool is the one AvgPool2d.
    expect(p.layers.map((l) => l.op).filter((op) => !['conv2d', 'silu', 'concat'].includes(op))).toEqual([
      'mul',
      'add',
      'avg_pool',
      'sub',
      'pad',
      'sigmoid',
      'mul',
      'add',
      'div',
      'mul',
      'pad',
      'resize',
      'pad',
      'softmax',
      'tanh',
      'pow',
    ]);
    // The learned gain (an nn.Parameter) is params.
    expect(Number(p.totals.params)).toBe(yolo.params);
    const counts = (key: string): number => Number(p.totals.counts[key]);
    // thop: convs, AvgPool2d numel(out), Upsample numel(out), nn.Softmax rows * (3n - 1); operators, SiLU, Tanh, pads 0.
    expect(counts('thop')).toBe(yolo.convMacs + yolo.pool + yolo.up + yolo.softmaxThop);
    // fvcore: convs and upsample_nearest2d; mul, add, sub, div, pow, tanh, softmax, pad, avg_pool unsupported.
    expect(counts('fvcore')).toBe(yolo.convMacs + yolo.up);
    // ptflops: conv modules with bias; F.silu numel(in) (512 + 256); AvgPool2d numel(unpadded in) twice;
    // Upsample numel(out) / B^2 + F.interpolate numel(out); F.softmax numel(in) (256); operators 0.
    expect(counts('ptflops')).toBe(yolo.convMacs + yolo.convOut + 768 + 2 * yolo.pool + 2 * yolo.up + 256);
    expect(counts('ptflops-aten')).toBe(yolo.convMacs + yolo.convOut);
    expect(counts('macs')).toBe(yolo.convMacs);
    expect(counts('senet')).toBe(yolo.convMacs);
    // flops: 2 * MACs + bias adds; SiLU 5 per element (768); seven elementwise ops on 512 and the square on 256;
    // the attention sigmoid 4 * 64; the pool 9 per output; tanh 5 * 256; softmax as thop.
    expect(counts('flops')).toBe(2 * yolo.convMacs + yolo.convOut + 5 * 768 + 7 * 512 + 256 + 4 * 64 + 9 * 512 + 5 * 256 + yolo.softmaxThop);
  });

  it('finds the SE block with its width, its share, and the totals without it', async () => {
    const p = await profileJson([join(FIXTURES, 'se_resnet_block.onnx')]);
    expect(p.file.seBlocks).toHaveLength(1);
    const [block] = p.file.seBlocks;
    expect(block).toMatchObject({ where: 'se', channels: 128, hidden: 8, reduction: 16, gate: 'sigmoid', bias: false });
    expect(Number(block?.totals.params)).toBe(2 * 128 * 8);
    expect(Number(block?.totals.counts['thop'])).toBe((HW + 1) * 128 + 2 * 128 * 8);
    expect(Number(p.overhead?.plainTotals.counts['thop'])).toBe(resnet.convMacs);
    expect(Number(p.overhead?.plainTotals.params)).toBe(resnet.params.conv1 + resnet.params.conv2 + resnet.params.conv3);
  });

  it('takes the file as a bare path in explain too, as --file', async () => {
    const model = join(FIXTURES, 'se_resnet_block.onnx');
    const bare = await seprofInProcess(['explain', model, '--json']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toBe((await seprofInProcess(['explain', '--file', model, '--json'])).stdout);
    // A mistyped path is a missing file, not an unknown command.
    expectUsageError(await seprofInProcess(['explain', join(FIXTURES, 'no-such.onnx')]), /cannot read model file .*no-such\.onnx: no such file/);
    expectUsageError(await seprofInProcess(['no-such.onnx']), /cannot read model file no-such\.onnx: no such file/);
    expectUsageError(await seprofInProcess(['resnet50']), /unknown command 'resnet50'/);
  });

  it('reads the external-data copy to the same counts, and sets the batch with --input', async () => {
    const external = await profileJson([join(FIXTURES, 'se_resnet_block_external.onnx')]);
    expect(external.totals.counts['thop']).toBe((await profileJson([join(FIXTURES, 'se_resnet_block.onnx')])).totals.counts['thop']);
    const batch2 = await profileJson([join(FIXTURES, 'se_resnet_block.onnx'), '--input', 'images=2x128x14x14']);
    expect(Number(batch2.totals.counts['fvcore'])).toBe(2 * (resnet.convMacs + HW * 128 + 2 * 128 * 8));
  });

  it('finds the MobileNetV3 hard-sigmoid SE (1x1 convs with bias) and counts the depthwise conv', async () => {
    const p = await profileJson([join(FIXTURES, 'mbv3_block.onnx')]);
    expect(p.file.seBlocks.map(({ totals: _, ...b }) => b)).toEqual([
      expect.objectContaining({ where: 'se', channels: 64, hidden: 16, reduction: 4, gate: 'hardsigmoid', bias: true }),
    ]);
    // SE: two 1x1 convs with bias, 64 -> 16 -> 64.
    expect(Number(p.file.seBlocks[0]?.totals.params)).toBe(64 * 16 + 16 + 16 * 64 + 64);
    // thop: 1x1 expand, 3x3 depthwise (Cin/g = 1), SE pool (HW + 1) * C and two 1x1 convs, 1x1 project; no rule for
    // Hardswish or Hardsigmoid. fvcore: the same convs, the pool numel(in); hardswish and hardsigmoid skipped.
    const hw = 28 * 28;
    const convs = 64 * hw * 16 + 64 * hw * 9 + 2 * 64 * 16 + 16 * hw * 64;
    expect(Number(p.totals.counts['thop'])).toBe(convs + (hw + 1) * 64);
    expect(Number(p.totals.counts['fvcore'])).toBe(convs + hw * 64);
    // Depthwise 3x3 on 64 channels, BN folded: 64 * 9 weights + 64 biases.
    expect(p.layers.find((l) => l.name === 'depthwise.0')?.params).toBe(64 * 9 + 64);
    // expand 16 -> 64, depthwise, SE, project 64 -> 16 (all with folded or own biases).
    expect(Number(p.totals.params)).toBe(16 * 64 + 64 + (64 * 9 + 64) + (64 * 16 + 16 + 16 * 64 + 64) + (64 * 16 + 16));
  });

  it('finds the SE inserted in the YOLO-style net and counts it as thop and fvcore count the PyTorch net', async () => {
    const path = join(FIXTURES, 'tiny_yolo_se.onnx');
    const p = await profileJson([path]);
    expect(p.file.seBlocks.map((b) => [b.where, b.channels, b.hidden, b.gate])).toEqual([['se', 32, 8, 'sigmoid']]);
    // thop: convs numel(out) * Cin * k * k (biases ignored), SE pool (HW + 1) * C and Linear 32 -> 8 -> 32,
    // nn.Upsample nearest numel(out); SiLU, Sigmoid, MaxPool and cat 0. fvcore: the pool numel(in), the rest alike.
    const convMacs = [
      [16 * 32 * 32, 3 * 9],
      [32 * 16 * 16, 16 * 9],
      [32 * 16 * 16, 32],
      [16 * 16 * 16, 16 * 9],
      [32 * 16 * 16, 48],
      [16 * 16 * 16, 32],
      [32 * 16 * 16, 64],
      [21 * 32 * 32, 48],
    ].reduce((n, [outputs, perOutput]) => n + (outputs as number) * (perOutput as number), 0);
    const upsample = 32 * 32 * 32;
    expect(Number(p.totals.counts['thop'])).toBe(convMacs + (16 * 16 + 1) * 32 + 2 * 32 * 8 + upsample);
    expect(Number(p.totals.counts['fvcore'])).toBe(convMacs + 16 * 16 * 32 + 2 * 32 * 8 + upsample);
    expect(p.layers.find((l) => l.name === 'up')?.op).toBe('resize');
    // Conv params with folded biases: stem 3->16 3x3, down 16->32 3x3, cv1 32->32, m 16->16 3x3, cv2 48->32,
    // sppf_cv1 32->16, sppf_cv2 64->32, head 48->21; SE Linear 32->8->32 without bias.
    const convs = [
      [3, 16, 9],
      [16, 32, 9],
      [32, 32, 1],
      [16, 16, 9],
      [48, 32, 1],
      [32, 16, 1],
      [64, 32, 1],
      [48, 21, 1],
    ] as const;
    expect(Number(p.totals.params)).toBe(convs.reduce((n, [cin, cout, k]) => n + cin * cout * k + cout, 0) + 2 * 32 * 8);
  });

  it('adds SE after a named node and reports what it would cost (--add-se)', async () => {
    const p = await profileJson([join(FIXTURES, 'se_resnet_block.onnx'), '--add-se', 'conv2', '--reduction', '8']);
    // SE(32, r=8) on 1x32x14x14: pool (HW + 1) * 32, Linear 32 -> 4 -> 32 without bias.
    expect(Number(p.overhead?.added.params)).toBe(2 * 32 * 4);
    expect(Number(p.overhead?.added.counts['thop'])).toBe((HW + 1) * 32 + 2 * 32 * 4);
    expect(p.file.seBlocks.map((b) => [b.where, b.channels, b.hidden])).toEqual([
      ['conv2_se', 32, 4],
      ['se', 128, 8],
    ]);
    expectUsageError(
      await seprofInProcess([join(FIXTURES, 'se_resnet_block.onnx'), '--add-se', 'nowhere', '--no-measure']),
      /--add-se: the model has no layer or node 'nowhere'/,
    );
  });
});

describe('the note on BN folded by the exporter', () => {
  const note = /any BN the model had was folded/;
  it.each([
    // make_fixtures.py: Conv2d(bias=False) + BatchNorm2d, exported in eval mode: the convs' biases are onnx::Conv_N.
    ['se_resnet_block', true],
    ['tiny_yolo_se', true],
    // ConvNeXt's depthwise conv and the ViT patch embedding have their own biases (dwconv.bias) and never had BN.
    ['convnext_block', false],
    ['vit_tiny', false],
  ])('%s: %s', async (name, noted) => {
    expect((await profileJson(['--file', join(FIXTURES, `${name}.onnx`)])).file.notes.some((n) => note.test(n))).toBe(noted);
  });

  it('is not given for convs without biases and no BatchNormalization: nothing was folded', async () => {
    const path = join(tmp, 'plain-conv.onnx');
    writeFileSync(
      path,
      encodeModel({
        input: { name: 'x', dims: [1, 4, 8, 8] },
        nodes: [{ op: 'Conv', inputs: ['x', 'conv.weight'], outputs: ['y'], name: '/conv/Conv' }],
        initializers: [{ name: 'conv.weight', dims: [4, 4, 1, 1] }],
      }),
    );
    const p = await profileJson(['--file', path]);
    expect(p.layers.map((l) => l.op)).toEqual(['conv2d']);
    expect(p.file.notes.some((n) => note.test(n))).toBe(false);
  });
});

describe('model files in suites', () => {
  it('a report suite case names a file, with --add-se among its options', async () => {
    const suite = join(tmp, 'suite.json');
    writeFileSync(
      suite,
      JSON.stringify({
        cases: [
          { name: 'block', options: { file: join(FIXTURES, 'se_resnet_block.onnx') } },
          { name: 'what-if', options: { file: join(FIXTURES, 'se_resnet_block.onnx'), 'add-se': 'conv2', reduction: 8 } },
        ],
      }),
    );
    const out = join(tmp, 'report');
    const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure']);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: { name: string; counts: Record<string, number> }[] };
    const thop = (name: string): number => Number(report.cases.find((c) => c.name === name)?.counts['thop']);
    expect(thop('what-if') - thop('block')).toBe((HW + 1) * 32 + 2 * 32 * 4);
  });
});

describe('seprof --file refuses unusable files in one line, exit 2', () => {
  const conv = { nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] };
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['empty.onnx', new Uint8Array(), /the file is empty/],
    ['truncated.onnx', encodeModel(conv).subarray(0, 30), /not a readable ONNX model|no ONNX graph/],
    ['text.onnx', 'this is not a model at all, just some text\n'.repeat(20), /not a readable ONNX model|not an ONNX model/],
    ['model.json', '{"format": "graph-model"}', /no modelTopology: not a TensorFlow.js GraphModel/],
    // torch.save since PyTorch 1.6 and TorchScript: a zip archive (local file header PK\3\4, then archive/data.pkl).
    [
      'm.pt',
      Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('archive/data.pkl')]),
      /m\.pt: a zip archive, as PyTorch's torch.save .*: .*export it with torch\.onnx\.export\(/,
    ],
    // torch.save before 1.6: a pickle, protocol 2 (PROTO opcode 0x80, then 2).
    ['legacy.pth', Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20]), /legacy\.pth: a Python pickle.*torch\.onnx\.export\(/],
    // HDF5's signature: \x89HDF\r\n\x1a\n.
    ['model.h5', Buffer.from('\x89HDF\r\n\x1a\n\0\0\0\0', 'latin1'), /model\.h5: an HDF5 file \(Keras \.h5\).*tensorflowjs_converter/],
    [
      'cycle.onnx',
      encodeModel({
        nodes: [
          { op: 'Relu', inputs: ['b'], outputs: ['a'], name: 'one' },
          { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'two' },
        ],
        outputs: ['b'],
      }),
      /the graph has a cycle through node '(one|two)'/,
    ],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, async () => {
      const path = join(tmp, name);
      writeFileSync(path, bytes);
      expectUsageError(await seprofInProcess(['--file', path]), message);
    });
  }

  it('an op seprof cannot count, under --strict (without it: listed and counted as 0)', async () => {
    const path = join(tmp, 'softsign.onnx');
    writeFileSync(path, encodeModel({ nodes: [{ op: 'Softsign', inputs: ['x'], outputs: ['y'], name: '/act/Softsign' }] }));
    expectUsageError(
      await seprofInProcess(['--file', path, '--strict', '--no-measure']),
      /--strict: ops seprof does not count: Softsign x1 \(\/act\/Softsign\)/,
    );
    const p = await profileJson(['--file', path]);
    expect(p.file.unsupported).toEqual([{ opType: 'Softsign', nodes: ['/act/Softsign'] }]);
    expect(p.totals.counts['thop']).toBe(0);
  });

  it('an unknown input name, and options that do not apply', async () => {
    const model = join(FIXTURES, 'mbv3_block.onnx');
    expectUsageError(await seprofInProcess(['--file', model, '--input', 'x=1x16x28x28']), /no input 'x' \(its inputs: images\)/);
    expectUsageError(await seprofInProcess(['--file', model, '--channels', '16']), /--channels does not apply to --file/);
    expectUsageError(await seprofInProcess(['--file', model, '--reduction', '4']), /--reduction applies to --file with --add-se/);
  });
});

describe('seprof --file, measured in tfjs', () => {
  // SE-ResNet: 3 convs, 3 ReLUs, 6 SE ops, add. MobileNetV3: 5 convs, 2 hardswish, SE pool, ReLU and
  // hardsigmoid, rescale, add. YOLO: 8 convs, 7 SiLU, SE's 6, 3 pools, 3 concats, resize. YOLO with the
  // operators: 6 convs, 2 SiLU, 7 elementwise, padded pool, 3 pads, sigmoid, resize, 2 concats, softmax, tanh, pow.
  for (const [name, layers] of [
    ['se_resnet_block', 13],
    ['mbv3_block', 12],
    ['tiny_yolo_se', 28],
    ['tiny_yolo_ops', 26],
  ] as const) {
    it(`executes ${name} with its weights and agrees with the analytic ops on every layer`, async () => {
      const run = await seprofInProcess([join(FIXTURES, `${name}.onnx`), '--runs', '3', '--warmup', '1']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Check: +analytic and measured agree on every layer \\(${layers} layers`));
    });
  }

  it("measures the backward pass too (--training): every module's gradient and the gradient sums agree", async () => {
    const run = await seprofInProcess([join(FIXTURES, 'mbv3_block.onnx'), '--training', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Check: +analytic and measured agree on every layer \(12 layers: output shapes, params, buffers, 7 conventions; backward: macs, flops and gradient sums\)/,
    );
    expect(run.stdout).toMatch(/FLOPs \(flops\): +4,846,432 forward \+ 9,466,512 backward/);
  });

  it('the external-data copy too (weights read from the data file)', async () => {
    const run = await seprofInProcess([join(FIXTURES, 'se_resnet_block_external.onnx'), '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer/);
  });

  // PolyNet's poly-3 block exported weight-stripped (test/fixtures/onnx-real): its initializers
  // point at polynet_c_poly3_1x8_op17.data, which is not committed.
  const stripped = join('test', 'fixtures', 'onnx-real', 'polynet_c_poly3_1x8_op17.onnx');

  it('a weight-stripped export: refused for the measured run without its data, naming both ways on', async () => {
    expectUsageError(
      await seprofInProcess([stripped]),
      /external data file 'polynet_c_poly3_1x8_op17\.data' of initializer .* not found: the measured run needs the weights \(--stand-in-weights measures with stand-in values, --no-measure counts without them\)/,
    );
  });

  it('a weight-stripped export with --stand-in-weights: measured, the backward pass too, and the counts are those without', async () => {
    const [counted, measured] = await Promise.all([
      seprofInProcess([stripped, '--no-measure', '--json']),
      seprofInProcess([stripped, '--stand-in-weights', '--training', '--json']),
    ]);
    expect(measured.code).toBe(0);
    const [a, m] = [JSON.parse(counted.stdout), JSON.parse(measured.stdout)];
    expect(m.check.status).toBe('match');
    expect(m.totals.params).toBe(a.totals.params);
    expect(m.totals.counts).toEqual(a.totals.counts);
    // The backward pass ran and its counts were checked with the forward's (check.status covers both).
    expect(Number(m.training.backward.flops)).toBeGreaterThan(0);
  });

  it('--stand-in-weights is a model file option', async () => {
    expectUsageError(await seprofInProcess(['--channels', '64', '--stand-in-weights']), /--stand-in-weights does not apply to --block se/);
  });

  it('measures the what-if too: SE inserted by --add-se runs with made-up weights and agrees', async () => {
    const run = await seprofInProcess([join(FIXTURES, 'se_resnet_block.onnx'), '--add-se', 'conv2,relu_1', '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer \(25 layers/);
  });

  it('finds an SE whose squeeze is x.mean((2, 3)) (ReduceMean), counts the mean as functional, and measures it', async () => {
    const weights = (n: number): Uint8Array => new Uint8Array(Float32Array.from({ length: n }, (_, i) => Math.sin(i) / 10).buffer);
    const path = join(tmp, 'mean-se.onnx');
    writeFileSync(
      path,
      encodeModel({
        opset: 13,
        input: { name: 'x', dims: [1, 16, 8, 8] },
        nodes: [
          { op: 'ReduceMean', inputs: ['x'], outputs: ['m'], name: '/se/ReduceMean', attrs: [{ name: 'axes', type: 7, ints: [2, 3] }] },
          { op: 'Conv', inputs: ['m', 'w1', 'b1'], outputs: ['f1'], name: '/se/fc1/Conv', attrs: [{ name: 'kernel_shape', type: 7, ints: [1, 1] }] },
          { op: 'Relu', inputs: ['f1'], outputs: ['r'], name: '/se/act/Relu' },
          { op: 'Conv', inputs: ['r', 'w2', 'b2'], outputs: ['f2'], name: '/se/fc2/Conv', attrs: [{ name: 'kernel_shape', type: 7, ints: [1, 1] }] },
          { op: 'Sigmoid', inputs: ['f2'], outputs: ['s'], name: '/se/gate/Sigmoid' },
          { op: 'Mul', inputs: ['x', 's'], outputs: ['y'], name: '/se/Mul' },
        ],
        initializers: [
          { name: 'w1', dims: [4, 16, 1, 1], rawData: weights(64) },
          { name: 'b1', dims: [4], rawData: weights(4) },
          { name: 'w2', dims: [16, 4, 1, 1], rawData: weights(64) },
          { name: 'b2', dims: [16], rawData: weights(16) },
        ],
      }),
    );
    const p = await profileJson([path]);
    expect(p.file.seBlocks.map((b) => [b.where, b.channels, b.hidden, b.gate, b.bias])).toEqual([['se', 16, 4, 'sigmoid', true]]);
    expect(p.layers.find((l) => l.name === 'se.reducemean')?.op).toBe('reduce_mean');
    // thop: the two 1x1 convs only (16 * 4 each); the mean is a tensor method it does not see.
    expect(Number(p.totals.counts['thop'])).toBe(2 * 16 * 4);
    const run = await seprofInProcess([path, '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer \(6 layers/);
  });

  it('finds an SE whose gate is expanded (x * s.expand_as(x)), counts the multiply as the rescale, and measures it', async () => {
    const weights = (n: number): Uint8Array => new Uint8Array(Float32Array.from({ length: n }, (_, i) => Math.cos(i) / 10).buffer);
    const path = join(tmp, 'expand-se.onnx');
    writeFileSync(
      path,
      encodeModel({
        input: { name: 'x', dims: [1, 16, 8, 8] },
        nodes: [
          { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['p'], name: '/se/avg_pool/GlobalAveragePool' },
          { op: 'Flatten', inputs: ['p'], outputs: ['f'], name: '/se/Flatten' },
          { op: 'Gemm', inputs: ['f', 'w1'], outputs: ['h'], name: '/se/fc1/Gemm', attrs: [{ name: 'transB', type: 2, i: 1 }] },
          { op: 'Relu', inputs: ['h'], outputs: ['r'], name: '/se/relu/Relu' },
          { op: 'Gemm', inputs: ['r', 'w2'], outputs: ['g'], name: '/se/fc2/Gemm', attrs: [{ name: 'transB', type: 2, i: 1 }] },
          { op: 'Sigmoid', inputs: ['g'], outputs: ['s'], name: '/se/sigmoid/Sigmoid' },
          { op: 'Reshape', inputs: ['s', 'shape'], outputs: ['s4'], name: '/se/Reshape' },
          { op: 'Shape', inputs: ['x'], outputs: ['xs'], name: '/se/Shape' },
          { op: 'Expand', inputs: ['s4', 'xs'], outputs: ['se'], name: '/se/Expand' },
          { op: 'Mul', inputs: ['x', 'se'], outputs: ['y'], name: '/se/Mul' },
        ],
        initializers: [
          { name: 'w1', dims: [4, 16], rawData: weights(64) },
          { name: 'w2', dims: [16, 4], rawData: weights(64) },
          { name: 'shape', dims: [4], dataType: 7, int64Data: [0, 16, 1, 1] },
        ],
        outputs: ['y'],
      }),
    );
    const p = await profileJson([path]);
    expect(p.file.seBlocks.map((b) => [b.channels, b.hidden, b.gate])).toEqual([[16, 4, 'sigmoid']]);
    expect(p.layers.find((l) => l.name === 'se.mul')?.op).toBe('scale');
    const run = await seprofInProcess([path, '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer \(6 layers/);
  });

  it('counts a darknet-style Conv + LeakyReLU as ptflops does (module hook numel(out)) and measures it', async () => {
    const path = join(tmp, 'leaky.onnx');
    writeFileSync(
      path,
      encodeModel({
        nodes: [
          {
            op: 'Conv',
            inputs: ['x', 'w'],
            outputs: ['c'],
            name: '/conv/Conv',
            attrs: [
              { name: 'kernel_shape', type: 7, ints: [3, 3] },
              { name: 'pads', type: 7, ints: [1, 1, 1, 1] },
            ],
          },
          { op: 'LeakyRelu', inputs: ['c'], outputs: ['y'], name: '/act/LeakyRelu', attrs: [{ name: 'alpha', type: 1, f: 0.1 }] },
        ],
        initializers: [{ name: 'w', dims: [4, 8, 3, 3], rawData: new Uint8Array(new Float32Array(4 * 8 * 9).fill(0.01).buffer) }],
      }),
    );
    const p = await profileJson([path]);
    // conv 4x4x4 outputs x 8 x 9, no bias; LeakyReLU's module hook numel(out) = 64.
    expect(Number(p.totals.counts['ptflops'])).toBe(64 * 72 + 64);
    expect(Number(p.totals.counts['thop'])).toBe(64 * 72);
    const run = await seprofInProcess([path, '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer \(2 layers/);
  });

  it("counts a ConvTranspose by each peer's rule (thop by the output size, the others by the input) and measures it", async () => {
    const path = join(tmp, 'deconv.onnx');
    writeFileSync(
      path,
      encodeModel({
        input: { name: 'x', dims: [1, 8, 6, 6] },
        nodes: [
          {
            op: 'ConvTranspose',
            inputs: ['x', 'w'],
            outputs: ['y'],
            name: '/up/ConvTranspose',
            attrs: [
              { name: 'kernel_shape', type: 7, ints: [4, 4] },
              { name: 'strides', type: 7, ints: [2, 2] },
              { name: 'pads', type: 7, ints: [1, 1, 1, 1] },
            ],
          },
        ],
        initializers: [{ name: 'w', dims: [8, 4, 4, 4], rawData: new Uint8Array(new Float32Array(8 * 4 * 16).fill(0.01).buffer) }],
      }),
    );
    const p = await profileJson([path]);
    // Output (6 - 1) * 2 - 2 + 4 = 12: thop numel(out) * Cin * k * k; fvcore numel(in) * Cout * k * k.
    expect(p.layers.map((l) => [l.name, l.op, l.params])).toEqual([['up', 'conv_transpose', 8 * 4 * 16]]);
    expect(Number(p.totals.counts['thop'])).toBe(4 * 12 * 12 * 8 * 16);
    expect(Number(p.totals.counts['fvcore'])).toBe(8 * 6 * 6 * 4 * 16);
    const run = await seprofInProcess([path, '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer \(1 layers/);
  });

  it('measures a grouped conv with its folded bias (ResNeXt) as one op: split, a conv per group, concat, bias', async () => {
    const path = join(tmp, 'grouped.onnx');
    writeFileSync(
      path,
      encodeModel({
        input: { name: 'x', dims: [1, 16, 8, 8] },
        nodes: [
          {
            op: 'Conv',
            inputs: ['x', 'w', 'b'],
            outputs: ['y'],
            name: '/conv2/Conv',
            attrs: [
              { name: 'kernel_shape', type: 7, ints: [3, 3] },
              { name: 'pads', type: 7, ints: [1, 1, 1, 1] },
              { name: 'group', type: 2, i: 4 },
            ],
          },
        ],
        initializers: [
          { name: 'w', dims: [32, 4, 3, 3], rawData: new Uint8Array(new Float32Array(32 * 4 * 9).fill(0.01).buffer) },
          { name: 'b', dims: [32], rawData: new Uint8Array(new Float32Array(32).fill(0.1).buffer) },
        ],
      }),
    );
    const p = await profileJson([path]);
    // groups 4: Cin/g = 4, so numel(out) * 4 * 9 MACs; params 32 * 4 * 9 + 32.
    expect(p.layers.map((l) => [l.name, l.op, l.params])).toEqual([['conv2', 'conv2d', 32 * 4 * 9 + 32]]);
    expect(Number(p.totals.counts['thop'])).toBe(32 * 64 * 4 * 9);
    const run = await seprofInProcess([path, '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer \(1 layers/);
  });

  it('does not run what the analytic side has no op kind for, and names the node (the executor runs planned kinds only)', async () => {
    // An ELU: seprof has no op kind for it. The executor once ran a look-alike (a channel mean as a
    // spatial Mean) and the check failed; it now runs only what the plan counts.
    const path = join(tmp, 'channel-mean.onnx');
    writeFileSync(
      path,
      encodeModel({
        opset: 13,
        nodes: [
          { op: 'Relu', inputs: ['x'], outputs: ['r'], name: '/relu/Relu' },
          { op: 'Elu', inputs: ['r'], outputs: ['y'], name: '/act/Elu' },
        ],
      }),
    );
    const run = await seprofInProcess([path, '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("measured run skipped: the tfjs graph executor does not run Elu (node '/act/Elu': seprof has no op kind for it)");
  });
});
