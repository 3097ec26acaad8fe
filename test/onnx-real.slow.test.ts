// Real exports against the real peers, each model at its first input point (the harness and
// what a graph cannot show: test/support/onnx-real.ts; the second points: onnx-real.long).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { DIR, expectThePeers, PARAMS_NOT_IN_THE_GRAPH, type Peers, realExports } from './support/onnx-real';

const cases = realExports(true);

describe("real exports against the real peers (test/fixtures/onnx-real), at each model's first input point", () => {
  it('has the fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it('the documented params by hand are what the architectures say', () => {
    expect(PARAMS_NOT_IN_THE_GRAPH).toEqual({ googlenet: 6_379_984, inception_v3: 3_326_696, swin_t: 23_322, einsum_attention: 98 });
  });

  it.each(cases)('%s: params and thop, fvcore, ptflops, ptflops-aten equal the real tools', expectThePeers);
});

describe("a module called several times (Cadene's PolyNet poly-3 block: one BN-folded conv per branch, applied three times)", () => {
  // The exporter numbers a module's calls in its scopes (/path0_1x1/conv/Conv, /conv_1/, /conv_2/)
  // and aliases the equal folded weights through Identity. PyTorch's sum(p.numel()) counts each
  // conv once; thop and ptflops hook every call.
  const points = ['1x8', '2x9'].map((point) => [point, JSON.parse(readFileSync(join(DIR, `polynet_c_poly3_${point}.json`), 'utf8')) as Peers] as const);
  /** The block's final ReLU is called once more on a result forward() drops: a module hook and the F.relu inside it that the graph cannot show (ptflops: numel per image + numel of the batch). */
  const deadRelu = (batch: number, side: number): number => 2048 * side * side + batch * 2048 * side * side;

  it.each(points.flatMap(([point, peers]) => [13, 17].map((opset) => [point, opset, peers] as const)))(
    '%s, opset %s: params once per module, every call counted',
    async (point, opset, peers) => {
      const [batch, side] = point.split('x').map(Number) as [number, number];
      const { totals, layers } = await profile({ file: join(DIR, `polynet_c_poly3_${point}_op${opset}.onnx`) });
      expect(totals.params).toBe(BigInt(peers.params));
      expect([totals.counts.thop, totals.counts.fvcore, totals.counts['ptflops-aten']]).toEqual([
        BigInt(peers.thop),
        BigInt(peers.fvcore),
        BigInt(peers.ptflops_aten),
      ]);
      expect(totals.counts.ptflops).toBe(BigInt(peers.ptflops - deadRelu(batch, side)));
      // thop per module, every call summed: the calls are named by the exporter's numbers (conv_1, conv_2).
      const perModule = new Map<string, bigint>();
      for (const l of layers)
        if ((l.counts.thop ?? 0n) > 0n)
          perModule.set(l.op.name.replace(/_\d+$/, ''), (perModule.get(l.op.name.replace(/_\d+$/, '')) ?? 0n) + (l.counts.thop ?? 0n));
      expect(Object.fromEntries(perModule)).toEqual(Object.fromEntries(Object.entries(peers.thop_by_module ?? {}).map(([path, n]) => [path, BigInt(n)])));
    },
  );
});

describe("a function called in a leaf module's own forward (torchvision's FPN: LastLevelMaxPool calls F.max_pool2d(x, 1, 2, 0))", () => {
  // The exporter scopes the MaxPool as the module `fpn.extra_blocks` alone, as it would an
  // nn.MaxPool2d(1, 2): the graph cannot tell them apart, so seprof counts a module hook that no
  // peer has (LastLevelMaxPool is in no peer's module table) beside the patched F.max_pool2d.
  // ptflops counts the function alone: numel of the last FPN map, whole batch. --origin says so.
  const points = (['1x224', '2x256'] as const).map(
    (point) => [point, JSON.parse(readFileSync(join(DIR, `fpn_resnet18_${point}.json`), 'utf8')) as Peers] as const,
  );
  /** The hook seprof adds: numel(in) per image, the last map 256 x (H/32) x (W/32). */
  const hook = (side: number): number => 256 * (side / 32) ** 2;

  it.each(points.flatMap(([point, peers]) => [13, 17].map((opset) => [point, opset, peers] as const)))('%s, opset %s', async (point, opset, peers) => {
    const file = join(DIR, `fpn_resnet18_${point}_op${opset}.onnx`);
    const side = Number(point.split('x')[1]);
    const told = await profile({ file, origin: ['fpn.extra_blocks=function'] });
    expect([told.totals.params, told.totals.counts.thop, told.totals.counts.fvcore, told.totals.counts.ptflops, told.totals.counts['ptflops-aten']]).toEqual(
      [peers.params, peers.thop, peers.fvcore, peers.ptflops, peers.ptflops_aten].map(BigInt),
    );
    const read = await profile({ file });
    expect(read.totals.counts.ptflops).toBe(BigInt(peers.ptflops + hook(side)));
    expect(read.totals.counts.thop).toBe(BigInt(peers.thop));
  });
});
