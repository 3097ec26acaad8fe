// torchvision's EfficientNet B0-B7 and V2-S (models/efficientnet.py, 0.14): MBConv blocks with
// depthwise convs, SiLU, and SE whose hidden width is a quarter of the block's input channels.
import { convBnAct, TORCHVISION_CNA, type Node } from '../layer-vocabulary';
import { makeDivisible, type SeVariant } from '../se-variants';
import type { NetOptions } from './options';

/** expand ratio, kernel, stride, in, out, layers; fused: FusedMBConv (V2, no SE). */
type Stage = { fused: boolean; expand: number; k: number; stride: number; cin: number; cout: number; layers: number };

const stage = (fused: boolean, expand: number, k: number, stride: number, cin: number, cout: number, layers: number): Stage => ({
  fused,
  expand,
  k,
  stride,
  cin,
  cout,
  layers,
});

const B_BASE: readonly Stage[] = [
  stage(false, 1, 3, 1, 32, 16, 1),
  stage(false, 6, 3, 2, 16, 24, 2),
  stage(false, 6, 5, 2, 24, 40, 2),
  stage(false, 6, 3, 2, 40, 80, 3),
  stage(false, 6, 5, 1, 80, 112, 3),
  stage(false, 6, 5, 2, 112, 192, 4),
  stage(false, 6, 3, 1, 192, 320, 1),
];

const V2_S: readonly Stage[] = [
  stage(true, 1, 3, 1, 24, 24, 2),
  stage(true, 4, 3, 2, 24, 48, 4),
  stage(true, 4, 3, 2, 48, 64, 4),
  stage(false, 4, 3, 2, 64, 128, 6),
  stage(false, 6, 3, 1, 128, 160, 9),
  stage(false, 6, 3, 2, 160, 256, 15),
];

/** width_mult, depth_mult and the crop of the weights' eval transforms, per B variant. */
export const EFFICIENTNET_B = {
  b0: { width: 1.0, depth: 1.0, crop: 224 },
  b1: { width: 1.0, depth: 1.1, crop: 240 },
  b2: { width: 1.1, depth: 1.2, crop: 288 },
  b3: { width: 1.2, depth: 1.4, crop: 300 },
  b4: { width: 1.4, depth: 1.8, crop: 380 },
  b5: { width: 1.6, depth: 2.2, crop: 456 },
  b6: { width: 1.8, depth: 2.6, crop: 528 },
  b7: { width: 2.0, depth: 3.1, crop: 600 },
} as const;

/** SqueezeExcitation(expanded, max(1, in // 4), activation=SiLU): sigmoid gate. */
const seVariant = (blockIn: number): SeVariant => ({
  fc: 'conv1x1',
  activation: 'silu',
  gate: 'sigmoid',
  hidden: { rule: 'of', channels: blockIn, round: 'floor' },
  naming: 'torchvision',
});

function block(prefix: string, s: Stage, cin: number, stride: number, options: NetOptions): Node[] {
  const p = `${prefix}block.`;
  const expanded = makeDivisible(cin * s.expand, 8);
  const layers: Node[] = [];
  if (s.fused) {
    if (expanded !== cin) {
      layers.push(...convBnAct(`${p}0.`, TORCHVISION_CNA, { cout: expanded, k: s.k, stride }, 'silu'));
      layers.push(...convBnAct(`${p}1.`, TORCHVISION_CNA, { cout: s.cout, k: 1 }, null));
    } else {
      layers.push(...convBnAct(`${p}0.`, TORCHVISION_CNA, { cout: s.cout, k: s.k, stride }, 'silu'));
    }
  } else {
    let j = 0;
    if (expanded !== cin) layers.push(...convBnAct(`${p}${j++}.`, TORCHVISION_CNA, { cout: expanded, k: 1 }, 'silu'));
    layers.push(...convBnAct(`${p}${j++}.`, TORCHVISION_CNA, { cout: expanded, k: s.k, stride, groups: expanded }, 'silu'));
    if (options.se) layers.push({ kind: 'se', prefix: `${p}${j}.`, se: { reduction: options.reduction, bias: true, variant: seVariant(cin) } });
    j++;
    layers.push(...convBnAct(`${p}${j}.`, TORCHVISION_CNA, { cout: s.cout, k: 1 }, null));
  }
  // Stochastic depth before the residual add is the identity in eval: no op.
  return stride === 1 && cin === s.cout ? [{ kind: 'residual', name: `${prefix}add`, body: layers, shortcut: [] }] : layers;
}

function efficientnet(stages: readonly Stage[], lastChannel: number | null, options: NetOptions): Node[] {
  const first = stages[0];
  const lastOut = stages.at(-1)?.cout ?? 0;
  if (first === undefined) throw new Error('EfficientNet without stages');
  const nodes: Node[] = [...convBnAct('features.0.', TORCHVISION_CNA, { cout: first.cin, k: 3, stride: 2 }, 'silu')];
  stages.forEach((s, i) => {
    for (let b = 0; b < s.layers; b++) nodes.push(...block(`features.${i + 1}.${b}.`, s, b === 0 ? s.cin : s.cout, b === 0 ? s.stride : 1, options));
  });
  const head = lastChannel ?? 4 * lastOut;
  nodes.push(
    ...convBnAct(`features.${stages.length + 1}.`, TORCHVISION_CNA, { cout: head, k: 1 }, 'silu'),
    { kind: 'gap', name: 'avgpool' },
    // classifier.0 is Dropout: nothing executes in eval and no peer counts it, so no op.
    { kind: 'linear', name: 'classifier.1', out: 1000, bias: true },
  );
  return nodes;
}

/** `_efficientnet_conf`: channels _make_divisible(c * width, 8), layers ceil(n * depth). */
export function efficientnetB(variant: keyof typeof EFFICIENTNET_B, options: NetOptions): Node[] {
  const { width, depth } = EFFICIENTNET_B[variant];
  const scaled = B_BASE.map((s) => ({
    ...s,
    cin: makeDivisible(s.cin * width, 8),
    cout: makeDivisible(s.cout * width, 8),
    layers: Math.ceil(s.layers * depth),
  }));
  return efficientnet(scaled, null, options);
}

export function efficientnetV2S(options: NetOptions): Node[] {
  return efficientnet(V2_S, 1280, options);
}
