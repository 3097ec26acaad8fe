// Real exports against the real peers (issue 20, item 7; test/fixtures/onnx-real, made on branch
// `fixtures`: torchvision, YOLOv9 and einsum-attention networks at opsets 13 and 17 and two input
// points, with thop, fvcore and ptflops run on the fused PyTorch models). Params and all four peer
// conventions equal the real tools to the integer, except what a graph cannot show, each worked
// out by hand below from the architecture (docs/model-files.md lists them). Analytic only. Each
// model's first input point is checked by npm test (onnx-real.slow), its second by the long tier.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { profile, type Profile } from '../../src/index';

export const DIR = join(__dirname, '..', 'fixtures', 'onnx-real');

export interface Peers {
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
export const PARAMS_NOT_IN_THE_GRAPH: Record<string, number> = {
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

/** The input points the fixtures were exported at, each model's first point before its second. */
const POINTS = ['1x640', '2x320', '1x32', '2x48', '1x224', '2x256', '1x299', '2x200', '2x224', '2x24', '1x300', '2x268'];

/** The exports of every model at its first input point (`first`) or at its others. */
export function realExports(first: boolean): (readonly [string, string, Peers])[] {
  return MODELS.flatMap((model) => {
    const points = POINTS.filter((point) => existsSync(join(DIR, `${model}_${point}.json`)));
    return (first ? points.slice(0, 1) : points.slice(1)).flatMap((point) => {
      const peers = JSON.parse(readFileSync(join(DIR, `${model}_${point}.json`), 'utf8')) as Peers;
      return peers.files.filter((f) => existsSync(join(DIR, f))).map((file) => [file, model, peers] as const);
    });
  });
}

type PeerFigures = Pick<Peers, 'params' | 'thop' | 'fvcore' | 'ptflops' | 'ptflops_aten'>;

/** A profile's params and the four peer conventions beside the real tools' (less what the graph cannot show), for one toEqual. */
export function peerTotals({ totals }: Profile, peers: PeerFigures, paramsNotInTheGraph = 0) {
  return {
    seprof: {
      params: totals.params,
      thop: totals.counts.thop,
      fvcore: totals.counts.fvcore,
      ptflops: totals.counts.ptflops,
      'ptflops-aten': totals.counts['ptflops-aten'],
    },
    peers: {
      params: BigInt(peers.params - paramsNotInTheGraph),
      thop: BigInt(peers.thop),
      fvcore: BigInt(peers.fvcore),
      ptflops: BigInt(peers.ptflops),
      'ptflops-aten': BigInt(peers.ptflops_aten),
    },
  };
}

/** Params and the four peer conventions of one export equal the real tools', layer by layer where thop's per-module counts were recorded. */
export async function expectThePeers(file: string, model: string, peers: Peers): Promise<void> {
  const result = await profile({ file: join(DIR, file) });
  const { seprof, peers: real } = peerTotals(result, peers, PARAMS_NOT_IN_THE_GRAPH[model]);
  expect(seprof).toEqual(real);
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
}
