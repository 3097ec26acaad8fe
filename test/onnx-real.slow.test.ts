// Real exports against the real peers (issue 20, item 7; test/fixtures/onnx-real, made on branch
// `fixtures`: torchvision, YOLOv9 and einsum-attention networks at opsets 13 and 17 and two input
// points, with thop, fvcore and ptflops run on the fused PyTorch models). Params and all four peer
// conventions equal the real tools to the integer, except what a graph cannot show, each worked
// out by hand below from the architecture (docs/model-files.md lists them). Analytic only.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';

const DIR = join(__dirname, 'fixtures', 'onnx-real');

interface Peers {
  files: string[];
  params: number;
  thop: number;
  fvcore: number;
  ptflops: number;
  ptflops_aten: number;
  yolo_summary?: { thop_at_stride: number; line: string };
  /** thop's count per leaf module path, nonzero only (ret_layer_info). */
  thop_by_module?: Record<string, number>;
}

/** GoogLeNet's InceptionAux(in): a 1x1 BasicConv2d to 128 (conv without bias, BN never run in eval, so not fused), fc 2048 -> 1024, fc 1024 -> 1000. */
const googlenetAux = (cin: number): number => cin * 128 + 2 * 128 + (2048 * 1024 + 1024) + (1024 * 1000 + 1000);
/** Inception-v3's InceptionAux(768): BasicConv2d(768, 128, 1), BasicConv2d(128, 768, 5) (unfused), fc 768 -> 1000. */
const inceptionAux = 768 * 128 + 2 * 128 + 128 * 768 * 25 + 2 * 768 + (768 * 1000 + 1000);
/** Swin-T's relative-position bias tables, (2*7 - 1)^2 rows per head, heads 3, 3, 6, 6, 12 x 6, 24, 24: folded into constants by the exporter. */
const swinTables = 169 * (3 + 3 + 6 + 6 + 12 * 6 + 24 + 24);

/**
 * What the graph cannot show, as params seprof counts fewer than PyTorch's sum(p.numel()):
 * auxiliary classifiers eval() never runs (the exporter drops them as dead code), learned
 * tables the exporter gathered and folded (the einsum attention's 2 heads x (2*4 - 1)^2).
 */
const PARAMS_NOT_IN_THE_GRAPH: Record<string, number> = {
  googlenet: googlenetAux(512) + googlenetAux(528),
  inception_v3: inceptionAux,
  swin_t: swinTables,
  einsum_attention: 2 * 49,
};

// lraspp_mobilenet_v3_large's bilinear Resize counts as each peer counts F.interpolate(mode='bilinear');
// alexnet's and vgg11_bn's AdaptiveAvgPool2d((6, 6)) / ((7, 7)) as nn.AdaptiveAvgPool2d, fcos_head's
// nn.GroupNorm by its rules with its folded weight and bias as params, ssd_vgg16_features' L2Norm scale as
// params (held-out check, session 3).
const MODELS = [
  'gelan_t',
  'gelan_t_se',
  'gelan_c',
  'gelan_c_se',
  'yolov9_c',
  'einsum_attention',
  'googlenet',
  'inception_v3',
  'densenet121',
  'mobilenet_v2',
  'swin_t',
  'squeezenet1_0',
  'shufflenet_v2_x1_0',
  'se_resnext50_32x4d',
  'senet154',
  'lraspp_mobilenet_v3_large',
  'alexnet',
  'vgg11_bn',
  'fcos_head',
  'ssd_vgg16_features',
];

const cases = MODELS.flatMap((model) =>
  ['1x640', '2x320', '1x32', '2x48', '1x224', '2x256', '1x299', '2x200', '2x224', '2x24', '1x300', '2x268'].flatMap((point) => {
    const json = join(DIR, `${model}_${point}.json`);
    if (!existsSync(json)) return [];
    const peers = JSON.parse(readFileSync(json, 'utf8')) as Peers;
    return peers.files.filter((f) => existsSync(join(DIR, f))).map((file) => [file, model, peers] as const);
  }),
);

describe('real exports against the real peers (test/fixtures/onnx-real)', () => {
  it('has the fixtures', () => {
    expect(cases.length).toBeGreaterThan(40);
  });

  it('the documented params by hand are what the architectures say', () => {
    expect(PARAMS_NOT_IN_THE_GRAPH).toEqual({ googlenet: 6_379_984, inception_v3: 3_326_696, swin_t: 23_322, einsum_attention: 98 });
  });

  it.each(cases)('%s: params and thop, fvcore, ptflops, ptflops-aten equal the real tools', async (file, model, peers) => {
    const result = await profile({ file: join(DIR, file) });
    const { totals } = result;
    expect({
      params: totals.params,
      thop: totals.counts.thop,
      fvcore: totals.counts.fvcore,
      ptflops: totals.counts.ptflops,
      'ptflops-aten': totals.counts['ptflops-aten'],
    }).toEqual({
      params: BigInt(peers.params - (PARAMS_NOT_IN_THE_GRAPH[model] ?? 0)),
      thop: BigInt(peers.thop),
      fvcore: BigInt(peers.fvcore),
      ptflops: BigInt(peers.ptflops),
      'ptflops-aten': BigInt(peers.ptflops_aten),
    });
    // Layer by layer: every module thop counts is a layer of that PyTorch path with that count (names
    // are module paths, nested containers included; functions are 0), and no other layer counts.
    if (peers.thop_by_module !== undefined) {
      const byLayer = Object.fromEntries(result.layers.filter((l) => (l.counts.thop ?? 0n) > 0n).map((l) => [l.op.name, l.counts.thop]));
      expect(byLayer).toEqual(Object.fromEntries(Object.entries(peers.thop_by_module).map(([path, n]) => [path, BigInt(n)])));
    }
    if (peers.yolo_summary !== undefined) {
      expect(result.file?.yolo?.figure.thopAtStride).toBe(peers.yolo_summary.thop_at_stride);
      expect(peers.yolo_summary.line).toContain(`${result.file?.yolo?.figure.gflops} GFLOPs`);
    }
  });
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
