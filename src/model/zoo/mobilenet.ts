// torchvision's MobileNetV3 (models/mobilenetv3.py, 0.14): inverted residuals with depthwise
// convs, Hardswish, and SE with 1x1-conv FCs, ReLU inside and a Hardsigmoid gate.
import type { SeSettings } from '../blocks';
import { convBnAct, TORCHVISION_CNA, type Node } from '../layer-vocabulary';
import type { SeVariant } from '../se-variants';
import type { NetOptions } from './options';

/** in, kernel, expanded, out, SE, activation (RE: ReLU, HS: Hardswish), stride: `_mobilenet_v3_conf`. */
type Bneck = [number, number, number, number, boolean, 'RE' | 'HS', number];

const LARGE: readonly Bneck[] = [
  [16, 3, 16, 16, false, 'RE', 1],
  [16, 3, 64, 24, false, 'RE', 2],
  [24, 3, 72, 24, false, 'RE', 1],
  [24, 5, 72, 40, true, 'RE', 2],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 3, 240, 80, false, 'HS', 2],
  [80, 3, 200, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 480, 112, true, 'HS', 1],
  [112, 3, 672, 112, true, 'HS', 1],
  [112, 5, 672, 160, true, 'HS', 2],
  [160, 5, 960, 160, true, 'HS', 1],
  [160, 5, 960, 160, true, 'HS', 1],
];

const SMALL: readonly Bneck[] = [
  [16, 3, 16, 16, true, 'RE', 2],
  [16, 3, 72, 24, false, 'RE', 2],
  [24, 3, 88, 24, false, 'RE', 1],
  [24, 5, 96, 40, true, 'HS', 2],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 120, 48, true, 'HS', 1],
  [48, 5, 144, 48, true, 'HS', 1],
  [48, 5, 288, 96, true, 'HS', 2],
  [96, 5, 576, 96, true, 'HS', 1],
  [96, 5, 576, 96, true, 'HS', 1],
];

/** SqueezeExcitation(exp, _make_divisible(exp // 4, 8), scale_activation=Hardsigmoid). */
const MOBILENET_SE: SeVariant = { fc: 'conv1x1', activation: 'relu', gate: 'hardsigmoid', hidden: { rule: 'divisible', divisor: 8 }, naming: 'torchvision' };

function invertedResidual(prefix: string, [cin, k, exp, cout, useSe, act, stride]: Bneck, se: SeSettings | null): Node[] {
  const activation = act === 'HS' ? 'hardswish' : 'relu';
  const p = `${prefix}block.`;
  const layers: Node[] = [];
  let j = 0;
  if (exp !== cin) layers.push(...convBnAct(`${p}${j++}.`, TORCHVISION_CNA, { cout: exp, k: 1 }, activation));
  layers.push(...convBnAct(`${p}${j++}.`, TORCHVISION_CNA, { cout: exp, k, stride, groups: exp }, activation));
  if (useSe && se !== null) layers.push({ kind: 'se', prefix: `${p}${j}.`, se });
  if (useSe) j++; // torchvision numbers the SE module; the SE-free twin keeps the numbering
  layers.push(...convBnAct(`${p}${j}.`, TORCHVISION_CNA, { cout, k: 1 }, null));
  return stride === 1 && cin === cout ? [{ kind: 'residual', name: `${prefix}add`, body: layers, shortcut: [] }] : layers;
}

export function mobilenetV3(size: 'large' | 'small', options: NetOptions): Node[] {
  const config = size === 'large' ? LARGE : SMALL;
  const se = options.se ? { reduction: options.reduction, bias: true, variant: MOBILENET_SE } : null;
  const lastIn = config.at(-1)?.[3] ?? 0;
  const last = config.length + 1;
  return [
    ...convBnAct('features.0.', TORCHVISION_CNA, { cout: 16, k: 3, stride: 2 }, 'hardswish'),
    ...config.flatMap((bneck, i) => invertedResidual(`features.${i + 1}.`, bneck, se)),
    ...convBnAct(`features.${last}.`, TORCHVISION_CNA, { cout: 6 * lastIn, k: 1 }, 'hardswish'),
    { kind: 'gap', name: 'avgpool' },
    { kind: 'linear', name: 'classifier.0', out: size === 'large' ? 1280 : 1024, bias: true },
    { kind: 'act', name: 'classifier.1', act: 'hardswish' },
    // classifier.2 is Dropout: nothing executes in eval and no peer counts it, so no op.
    { kind: 'linear', name: 'classifier.3', out: 1000, bias: true },
  ];
}
