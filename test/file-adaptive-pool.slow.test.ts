// nn.AdaptiveAvgPool2d(o), o != 1, in a PyTorch export (held-out check, session 3: AlexNet's
// AdaptiveAvgPool2d((6, 6)) and VGG's ((7, 7)) at 224 were counted as nn.AvgPool2d(1)): PyTorch's
// exporter writes it as an AveragePool of window and stride in/out with no pads and no ceil_mode
// (torch/onnx/symbolic_opset9.py _adaptive_pool), where nn.AvgPool2d always writes both
// (symbolic_opset10.py/11 _avg_pool). The peers count the two differently; the figures below are
// their rules worked by hand: thop count_adap_avgpool (thop/vision/basic_hooks.py:114-121,
// calc_func.py:69-72) `(prod(in/out) + 1) * numel(out)` against count_avgpool's `numel(out)`;
// fvcore `aten::adaptive_avg_pool2d: elementwise_flop_counter(1, 0)` (flop_count.py:42), numel(in),
// against aten::avg_pool2d unsupported, 0; ptflops for both its module hook pool_flops_counter_hook
// (numel(in), divided by the batch: pytorch_ops.py:290-294) and the patched function the module's
// forward calls (F.adaptive_avg_pool2d, F.avg_pool2d: numel(in), whole batch, pytorch_ops.py:436-437,
// pytorch_engine.py:356-360); ptflops-aten neither.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { encodeModel, type NodeSpec } from './support/onnx';

const tmp = mkdtempSync(join(tmpdir(), 'seprof-adaptive-pool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });
// Input 2x8x12x12: `pool` is AdaptiveAvgPool2d(4) (window and stride 3), `avg` nn.AvgPool2d(3).
const adaptive: NodeSpec = {
  op: 'AveragePool',
  name: '/pool/AveragePool',
  inputs: ['x'],
  outputs: ['p'],
  attrs: [ints('kernel_shape', [3, 3]), ints('strides', [3, 3])],
};
const avgPool2d: NodeSpec = {
  op: 'AveragePool',
  name: '/avg/AveragePool',
  inputs: ['x'],
  outputs: ['a'],
  attrs: [{ name: 'ceil_mode', type: 2, i: 0 }, ints('kernel_shape', [3, 3]), ints('pads', [0, 0, 0, 0]), ints('strides', [3, 3])],
};
const file = (name: string, producer: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, encodeModel({ producer, input: { name: 'x', dims: [2, 8, 12, 12] }, nodes: [adaptive, avgPool2d], outputs: ['p', 'a'] }));
  return path;
};

const [B, IN, OUT] = [2n, 2n * 8n * 12n * 12n, 2n * 8n * 4n * 4n];

describe('AdaptiveAvgPool2d(o) as PyTorch exports it, counted as the peers count it', () => {
  it('is told from nn.AvgPool2d by its attributes and counted by the adaptive pool rules', async () => {
    const { layers } = await profile({ file: file('pools.onnx', 'pytorch') });
    const counts = (name: string) => {
      const layer = layers.find((l) => l.op.name === name);
      return {
        kind: layer?.op.kind,
        thop: layer?.counts.thop,
        fvcore: layer?.counts.fvcore,
        ptflops: layer?.counts.ptflops,
        aten: layer?.counts['ptflops-aten'],
      };
    };
    expect(counts('pool')).toEqual({ kind: 'global_avg_pool', thop: (9n + 1n) * OUT, fvcore: IN, ptflops: IN / B + IN, aten: 0n });
    expect(counts('avg')).toEqual({ kind: 'avg_pool', thop: OUT, fvcore: 0n, ptflops: IN / B + IN, aten: 0n });
  });

  it('only in a file PyTorch wrote: another writer may leave pads out of an ordinary pool', async () => {
    const { layers } = await profile({ file: file('other.onnx', 'tf2onnx') });
    expect(layers.map((l) => [l.op.name, l.op.kind])).toEqual([
      ['pool', 'avg_pool'],
      ['avg', 'avg_pool'],
    ]);
  });

  it('runs as PyTorch computes it: analytic and measured agree on both pools', async () => {
    const result = await profile({ file: file('measured.onnx', 'pytorch'), measure: true, backend: 'cpu' });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });

  // AlexNet's export under --training once differed here: the adaptive pool runs as tfjs' AvgPool,
  // whose gradient spreads each output gradient, divided by k*k, over its window (AvgPool_grad),
  // not as the Mean of AdaptiveAvgPool2d(1) (a multiply by ones, then a divide).
  it("trains as it runs: the adaptive pool's backward flops are k*k per output, as avg_pool's, and the measured run agrees", async () => {
    const result = await profile({ file: file('trained.onnx', 'pytorch'), measure: true, training: true, backend: 'cpu' });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
    const flops = (name: string) => result.training?.rows.find((row) => row.name === name)?.counts['flops'];
    expect([flops('pool'), flops('avg')]).toEqual([9n * OUT, 9n * OUT]);
  });
});
