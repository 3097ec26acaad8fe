// ONNX exports of torchvision models, SE-inserted ResNets and a YOLO-style net with SE
// (test/fixtures/onnx-peers, weights stripped): seprof's totals per convention equal the real
// thop, fvcore, ptflops and ptflops-aten on the BN-fused PyTorch model (the fixture JSONs, see
// the README there), to the integer; every SE block is found with its width, the expected list
// derived here from the architectures, not from seprof. Analytic only (the GroupNorm net is measured
// in file-executes.slow.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { peerTotals } from './support/onnx-real';

const DIR = join(__dirname, 'fixtures', 'onnx-peers');

interface PeerFixture {
  files: string[];
  input: number[];
  params: number;
  thop: number;
  fvcore: number;
  ptflops: number;
  ptflops_aten: number;
}

interface ExpectedSe {
  where: string;
  channels: number;
  hidden: number;
  gate: 'sigmoid' | 'hardsigmoid';
  bias: boolean;
}

/** torchvision's _make_divisible(v, 8). */
function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** mobilenet_v3_small: the bneck rows with SE (input, expanded); squeeze _make_divisible(expanded // 4, 8), Hardsigmoid. */
function mobilenetV3SmallSe(): ExpectedSe[] {
  // features.i: [input channels, expanded channels, use_se]
  const rows: [number, number, boolean][] = [
    [16, 16, true],
    [16, 72, false],
    [24, 88, false],
    [24, 96, true],
    [40, 240, true],
    [40, 240, true],
    [40, 120, true],
    [48, 144, true],
    [48, 288, true],
    [96, 576, true],
    [96, 576, true],
  ];
  return rows.flatMap(([input, expanded, se], i) =>
    se
      ? [
          {
            where: `features.${i + 1}.block.${input === expanded ? 1 : 2}`,
            channels: expanded,
            hidden: makeDivisible(Math.floor(expanded / 4)),
            gate: 'hardsigmoid' as const,
            bias: true,
          },
        ]
      : [],
  );
}

/** efficientnet_b0: every MBConv has SE on input * expand_ratio channels, squeeze max(1, input // 4), sigmoid. */
function efficientnetB0Se(): ExpectedSe[] {
  // [expand_ratio, input, output, layers]
  const stages: [number, number, number, number][] = [
    [1, 32, 16, 1],
    [6, 16, 24, 2],
    [6, 24, 40, 2],
    [6, 40, 80, 3],
    [6, 80, 112, 3],
    [6, 112, 192, 4],
    [6, 192, 320, 1],
  ];
  return stages.flatMap(([expand, input, output, layers], s) =>
    Array.from({ length: layers }, (_, i) => {
      const cin = i === 0 ? input : output;
      return {
        where: `features.${s + 1}.${i}.block.${expand === 1 ? 1 : 2}`,
        channels: cin * expand,
        hidden: Math.max(1, Math.floor(cin / 4)),
        gate: 'sigmoid' as const,
        bias: true,
      };
    }),
  );
}

/** ResNet-50 with SE (r=16, Linear without bias) in every Bottleneck: layerX.i.se on planes * 4. */
function seResnet50Se(): ExpectedSe[] {
  const layers: [number, number][] = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ];
  return layers.flatMap(([planes, n], l) =>
    Array.from({ length: n }, (_, i) => ({
      where: `layer${l + 1}.${i}.se`,
      channels: planes * 4,
      hidden: (planes * 4) / 16,
      gate: 'sigmoid' as const,
      bias: false,
    })),
  );
}

const SE: Record<string, ExpectedSe[]> = {
  mobilenet_v3_small: mobilenetV3SmallSe(),
  efficientnet_b0: efficientnetB0Se(),
  resnet50: [],
  se_resnet50: seResnet50Se(),
  // make_fixtures.py: SEResNetBottleneck(128, 32, r=16) and TinyYoloSE's SE(32, r=4).
  se_resnet_block: [{ where: 'se', channels: 128, hidden: 8, gate: 'sigmoid', bias: false }],
  tiny_yolo_se: [{ where: 'se', channels: 32, hidden: 8, gate: 'sigmoid', bias: false }],
  // make_fixtures.py's ConvNeXtBlock and ViTHead: nn.GELU and nn.LayerNorm, no SE.
  convnext_block: [],
  vit_head: [],
  // make_fixtures.py's ViTBlock: hand-written attention (torch.matmul of two activations), no SE.
  vit_block: [],
  // make_fixtures.py's TinyViT: a class token (expand, cat), a position embedding, the head on x[:, 0].
  vit_tiny: [],
  // make_exports.py's GroupNormNet: nn.GroupNorm affine and not, no SE.
  group_norm_net: [],
};

describe('ONNX exports against the peers on the BN-fused PyTorch models', () => {
  it('the SE lists derived by hand have the sizes the architectures say', () => {
    expect(SE['mobilenet_v3_small']?.map((s) => s.hidden)).toEqual([8, 24, 64, 64, 32, 40, 72, 144, 144]);
    expect(SE['efficientnet_b0']).toHaveLength(16);
    expect(SE['se_resnet50']).toHaveLength(16);
  });

  const cases = Object.keys(SE).flatMap((name) => {
    const peers = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as PeerFixture;
    return peers.files.map((file) => [file, name, peers] as const);
  });

  it.each(cases)('%s: params, thop, fvcore, ptflops, ptflops-aten to the integer; every SE block', async (file, name, peers) => {
    const result = await profile({ file: join(DIR, file) });
    expect(result.check.status).toBe('skipped');
    expect(result.spec).toMatchObject({ batch: peers.input[0] });
    const { seprof, peers: real } = peerTotals(result, peers);
    expect(seprof).toEqual(real);
    expect(result.file?.unsupported).toEqual([]);
    // The torchvision networks and make_fixtures.py's conv blocks had BatchNorm, which the exporter
    // folded; the ConvNeXt block and the ViTs never had any (their convs' biases are their own).
    const hadBn = !['convnext_block', 'vit_head', 'vit_block', 'vit_tiny', 'group_norm_net'].includes(name);
    expect(result.file?.notes.some((note) => /any BN the model had was folded into the convs/.test(note))).toBe(hadBn);
    const found = (result.file?.seBlocks ?? []).map(({ block }) => ({
      where: block.where,
      channels: block.channels,
      hidden: block.hidden,
      gate: block.gate,
      bias: block.bias,
    }));
    expect(found).toEqual(SE[name]);
  });
});

describe("nn.GroupNorm as torch exports it (make_exports.py's GroupNormNet): one group_norm per module", () => {
  it.each(['group_norm_net_op13.onnx', 'group_norm_net_op17.onnx'])(
    '%s: GroupNorm(4, 16) with its 32 params, GroupNorm(8, 32, affine=False) with none',
    async (file) => {
      const result = await profile({ file: join(DIR, file) });
      const norms = result.layers.filter((l) => l.op.kind === 'group_norm');
      expect(norms.map((l) => [l.op.name, l.op.attrs.groups, l.op.attrs.affine, l.op.params])).toEqual([
        ['features.1', 4, true, 32n],
        ['features.4', 8, false, 0n],
      ]);
      // The weight and bias the exporter folded into onnx:: initializers are params, not constants.
      expect(result.file?.notes.filter((note) => note.startsWith('constants, not params'))).toEqual([]);
    },
  );
});
