// Functions and modules in a model file (issue 20, items 1 and 2). The exporter's scope names
// tell an op a module made (`/block/pool/MaxPool`) from one a function made in a module's forward
// (`/block/MaxPool` beside `/block/conv/Conv`), and thop and ptflops count the two differently;
// ptflops divides module hooks by the model's batch, not an op's dim 0 (windows folded into it).
// Expected figures: the real peers on the PyTorch model (test/fixtures/onnx-origins/origins.json,
// made by make_origins.py there) and the peers' rules worked by hand below, never seprof's output.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { expectOneLineFailure, seprofInProcess } from './support/cli';
import { encodeModel } from './support/onnx';
import type { Peers } from './support/onnx-real';

const DIR = join(__dirname, 'fixtures', 'onnx-origins');
const peers = JSON.parse(readFileSync(join(DIR, 'origins.json'), 'utf8')) as Peers;

// make_origins.py: input 2x3x16x16; Block(8) on 2x8x16x16; WindowAttention on 2x8x16x16, 4x4
// windows: t is [32, 16, 8] (B * nW = 2 * 16 windows of 16 tokens of 8 channels).
const B = 2n;
const blockMap = 2n * 8n * 16n * 16n; // Block's conv output, what F.relu, F.avg_pool2d and F.max_pool2d read
const windowRows = 32n * 16n; // the Linear's rows
const scores = 32n * 16n * 16n; // q @ q^T, what both softmaxes read

describe('functions and modules by scope names, counted as thop and ptflops count them', () => {
  it.each(peers.files)('%s: params, thop, fvcore, ptflops and ptflops-aten equal the real peers (x.softmax named by --origin)', async (file) => {
    const result = await profile({ file: join(DIR, file), origin: ['attn.softmax_1=method'] });
    const { counts } = result.totals;
    // The conv called twice is one parameter: its 8x8x1x1 weight and 8 biases once.
    expect(result.layers.filter((l) => l.op.name.startsWith('shared')).map((l) => l.op.params)).toEqual([64n + 8n, 0n]);
    expect(result.totals.params).toBe(BigInt(peers.params));
    expect({ thop: counts.thop, fvcore: counts.fvcore, ptflops: counts.ptflops, 'ptflops-aten': counts['ptflops-aten'] }).toEqual({
      thop: BigInt(peers.thop),
      fvcore: BigInt(peers.fvcore),
      ptflops: BigInt(peers.ptflops),
      'ptflops-aten': BigInt(peers.ptflops_aten),
    });
  });

  it('the measured run reads the same origins and batch: analytic and measured agree on every layer', async () => {
    const result = await profile({ file: join(DIR, peers.files[0] as string), origin: ['attn.softmax_1=method'], measure: true, backend: 'cpu' });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });

  it('each op as the peers rules count it: a function is 0 in thop and its patched function once in ptflops', async () => {
    const result = await profile({ file: join(DIR, peers.files[0] as string) });
    const layer = (name: string): { origin: string | undefined; thop: bigint | undefined; ptflops: bigint | undefined } => {
      const found = result.layers.find((l) => l.op.name === name);
      if (found === undefined) throw new Error(`no layer ${name}`);
      return { origin: found.op.attrs.origin, thop: found.counts.thop, ptflops: found.counts.ptflops };
    };
    // F.relu, F.avg_pool2d, F.max_pool2d in Block.forward: thop 0; ptflops numel(in), whole batch.
    expect(layer('block.relu')).toEqual({ origin: 'function', thop: 0n, ptflops: blockMap });
    expect(layer('block.averagepool')).toEqual({ origin: 'function', thop: 0n, ptflops: blockMap });
    expect(layer('block.maxpool')).toEqual({ origin: 'function', thop: 0n, ptflops: blockMap });
    // self.pool (nn.MaxPool2d): thop 0 (zero_ops); ptflops its hook numel(in) / B plus F.max_pool2d numel(in).
    expect(layer('block.pool')).toEqual({ origin: undefined, thop: 0n, ptflops: blockMap / B + blockMap });
    // self.relu (nn.ReLU) on the stem: numel(out) / B + F.relu numel(in).
    expect(layer('relu')).toEqual({ origin: undefined, thop: 0n, ptflops: blockMap / B + blockMap });
    // F.softmax is patched: numel(in); assumed for a function-made Softmax.
    expect(layer('attn.softmax')).toEqual({ origin: 'function', thop: 0n, ptflops: scores });
    // F.adaptive_avg_pool2d in the model's own forward: thop 0, ptflops numel(in).
    expect(layer('globalaveragepool')).toEqual({ origin: 'function', thop: 0n, ptflops: blockMap });
    // F.linear(g, self.extra): thop 0, ptflops 0 (its patch is commented out, pytorch_engine.py:349).
    expect(layer('matmul')).toEqual({ origin: 'function', thop: 0n, ptflops: 0n });
    // nn.Upsample: thop numel(out); ptflops numel(out[0]) / B + F.interpolate numel(out).
    const up = 2n * 8n * 16n * 16n;
    expect(layer('up')).toEqual({ origin: undefined, thop: up, ptflops: up / B / B + up });
    // A Linear on windows folded into dim 0: ptflops divides by the model's batch 2, not by 32.
    expect(layer('attn.qkv')).toEqual({ origin: undefined, thop: windowRows * 8n * 8n, ptflops: (windowRows * 8n * 8n + windowRows * 8n) / B });
    // Without --origin the second softmax (x.softmax(-1)) is taken as F.softmax: ptflops counts numel(in) more than the peers.
    expect(result.totals.counts.ptflops).toBe(BigInt(peers.ptflops) + scores);
  });

  it('shows what it inferred: F. and x. in the table, attrs.origin in JSON, a note naming the layers and --origin', async () => {
    const table = await seprofInProcess([join(DIR, peers.files[1] as string), '--no-measure', '--origin', 'attn.softmax_1=method']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ +block\.averagepool +│ F\.avg_pool +│/);
    expect(table.stdout).toMatch(/│ +attn\.softmax_1 +│ x\.softmax +│/);
    expect(table.stdout).toMatch(/│ +block\.pool +│ max_pool +│/);
    expect(table.stdout).toMatch(
      /Note: 8 ops were made by a function called in a module's forward[^\n]*\(\/block\/Relu: [^\n]*block\.relu, block\.averagepool, block\.maxpool, resize, attn\.softmax/,
    );
    expect(table.stdout).toMatch(/Note: --origin: attn\.softmax_1 counted as made by a tensor method/);
    const json = await seprofInProcess([join(DIR, peers.files[1] as string), '--no-measure', '--format', 'json']);
    const layers = (JSON.parse(json.stdout) as { layers: { name: string; attrs: { origin?: string; batch?: number } }[] }).layers;
    expect(layers.find((l) => l.name === 'block.maxpool')?.attrs.origin).toBe('function');
    expect(layers.find((l) => l.name === 'block.pool')?.attrs.origin).toBeUndefined();
    expect(layers.find((l) => l.name === 'attn.qkv')?.attrs.batch).toBe(2);
    const explained = await seprofInProcess(['explain', join(DIR, peers.files[1] as string), '--no-measure']);
    expect(explained.stdout).toMatch(/^avg_pool: block\.averagepool \(function\) 2x8x16x16 -> 2x8x8x8$/m);
    expect(explained.stdout).toMatch(/^ {2}thop +0 {2}numel\(out\); made by a function or tensor method: 0/m);
  });

  it('--origin sets a layer either way; a malformed or unmatched entry is one line and exit 2', async () => {
    const asModules = await profile({ file: join(DIR, peers.files[0] as string), origin: ['block.*pool=module'] });
    const pooled = asModules.layers.filter((l) => ['block.averagepool', 'block.maxpool'].includes(l.op.name));
    // nn.AvgPool2d: thop numel(out) = 2*8*8*8; nn.MaxPool2d: 0.
    expect(pooled.map((l) => [l.op.attrs.origin, l.counts.thop])).toEqual([
      [undefined, 2n * 8n * 8n * 8n],
      [undefined, 0n],
    ]);
    const file = join(DIR, peers.files[0] as string);
    expectOneLineFailure(await seprofInProcess([file, '--no-measure', '--origin', 'block.pool']), 2, /--origin 'block\.pool': expected LAYER=ORIGIN/);
    expectOneLineFailure(await seprofInProcess([file, '--no-measure', '--origin', 'block.pool=lambda']), 2, /'lambda' is not one of module, function, method/);
    expectOneLineFailure(
      await seprofInProcess([file, '--no-measure', '--origin', 'nothing.here=module']),
      2,
      /--origin 'nothing\.here': the model has no layer or node/,
    );
  });

  it('scope rule on hand-made graphs: a leaf scope of one op is a module; a node beside submodules, or with siblings, a function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seprof-origins-'));
    const relu = (name: string, x: string, y: string) => ({ op: 'Relu', inputs: [x], outputs: [y], name });
    const scoped = join(dir, 'scoped.onnx');
    writeFileSync(
      scoped,
      encodeModel({
        nodes: [
          { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], name: '/conv1/conv/Conv' },
          relu('/conv1/Relu', 'c', 'r1'), // GoogLeNet's BasicConv2d: F.relu beside its conv
          relu('/relu/Relu', 'r1', 'r2'), // nn.ReLU
          {
            op: 'MaxPool',
            inputs: ['r2'],
            outputs: ['p'],
            name: '/MaxPool',
            attrs: [
              { name: 'kernel_shape', type: 7, ints: [2, 2] },
              { name: 'strides', type: 7, ints: [2, 2] },
            ],
          },
        ],
        initializers: [{ name: 'w', dims: [8, 8, 1, 1], rawData: new Uint8Array(256) }],
      }),
    );
    const ops = (await profile({ file: scoped })).layers.map((l) => [l.op.name, l.op.attrs.origin]);
    expect(ops).toEqual([
      ['conv1.conv', undefined],
      ['conv1.relu', 'function'],
      ['relu', undefined],
      ['maxpool', 'function'],
    ]);
    const bare = join(dir, 'bare.onnx');
    writeFileSync(bare, encodeModel({ nodes: [relu('Relu_0', 'x', 'a'), relu('Relu_1', 'a', 'b')] }));
    const plain = await profile({ file: bare });
    expect(plain.layers.map((l) => l.op.attrs.origin)).toEqual([undefined, undefined]);
    expect(plain.file?.notes.join('\n')).toMatch(/node names carry no module scopes[^\n]*every op is taken as a module's/);
  });
});

describe('params are what PyTorch calls parameters', () => {
  const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
  const write = (name: string, model: Parameters<typeof encodeModel>[0]): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'seprof-params-')), name);
    writeFileSync(path, encodeModel(model));
    return path;
  };

  it('an initializer the exporter folded (onnx:: name) read as an operand is a constant, shown; one PyTorch named (a layer-scale gamma) is params', async () => {
    const file = write('constants.onnx', {
      nodes: [
        { op: 'Add', inputs: ['x', 'onnx::Add_7'], outputs: ['a'], name: '/Add' },
        { op: 'Mul', inputs: ['a', 'block.gamma'], outputs: ['y'], name: '/block/Mul' },
      ],
      initializers: [
        { name: 'onnx::Add_7', dims: [1, 8, 4, 4], rawData: f32(128) },
        { name: 'block.gamma', dims: [1, 8, 1, 1], rawData: f32(8) },
      ],
    });
    const result = await profile({ file, measure: true, backend: 'cpu' });
    expect(result.layers.map((l) => [l.op.name, l.op.params])).toEqual([
      ['add', 0n],
      ['block', 8n],
    ]);
    expect(result.file?.notes.join('\n')).toMatch(/constants, not params: [^\n]*onnx::Add_7 \(1x8x4x4\)/);
    expect(result.check.status).toBe('match');
  });

  it("equal biases the exporter merged (squeezenet's, through Identity) stay each conv's own; one weight read by two convs is counted once", async () => {
    const conv = (name: string, x: string, w: string, b: string, y: string) => ({ op: 'Conv', inputs: [x, w, b], outputs: [y], name });
    const file = write('shared.onnx', {
      nodes: [
        { op: 'Identity', inputs: ['c1.bias'], outputs: ['c2.bias'], name: 'Identity_0' },
        conv('/c1/Conv', 'x', 'c1.weight', 'c1.bias', 'a'),
        conv('/c2/Conv', 'a', 'c2.weight', 'c2.bias', 'b'),
        conv('/c1_1/Conv', 'b', 'c1.weight', 'c1.bias', 'y'),
      ],
      initializers: [
        { name: 'c1.weight', dims: [8, 8, 1, 1], rawData: f32(64) },
        { name: 'c2.weight', dims: [8, 8, 1, 1], rawData: f32(64) },
        { name: 'c1.bias', dims: [8], rawData: f32(8) },
      ],
    });
    const result = await profile({ file, measure: true, backend: 'cpu' });
    // PyTorch: c1 (64 + 8) and c2 (64 + 8); c1 called again adds nothing.
    expect(result.layers.map((l) => [l.op.name, l.op.params])).toEqual([
      ['c1', 72n],
      ['c2', 72n],
      ['c1_1', 0n],
    ]);
    expect(result.file?.notes.join('\n')).toMatch(
      /params once, where first read[^\n]*c1\.weight \(64\) in c1, read again by c1_1, c1\.bias \(8\) in c1, read again by c1_1/,
    );
    expect(result.check.status).toBe('match');
  });
});
