// torchvision's RegNetY (models/regnet.py, 0.14): ResBottleneckBlocks with a grouped 3x3 and
// SE whose hidden width is round(0.25 * the block's input width).
import { convBnAct, TORCHVISION_CNA as CNA, type Node } from '../layer-vocabulary';
import type { SeVariant } from '../se-variants';
import type { NetOptions } from './options';

interface RegNetStages {
  depths: readonly number[];
  widths: readonly number[];
  groupWidth: number;
}

/**
 * BlockParams.from_init_params resolved (widths quantised to 8, then made divisible by the
 * group width), as torchvision 0.14 builds them: written out rather than recomputed, since
 * torchvision computes them in float32 and a float64 rerun could round differently.
 */
export const REGNET_Y: Record<string, RegNetStages> = {
  '400mf': { depths: [1, 3, 6, 6], widths: [48, 104, 208, 440], groupWidth: 8 },
  '800mf': { depths: [1, 3, 8, 2], widths: [64, 144, 320, 784], groupWidth: 16 },
  '1_6gf': { depths: [2, 6, 17, 2], widths: [48, 120, 336, 888], groupWidth: 24 },
  '3_2gf': { depths: [2, 5, 13, 1], widths: [72, 216, 576, 1512], groupWidth: 24 },
  '8gf': { depths: [2, 4, 10, 1], widths: [224, 448, 896, 2016], groupWidth: 56 },
  '16gf': { depths: [2, 4, 11, 1], widths: [224, 448, 1232, 3024], groupWidth: 112 },
  '32gf': { depths: [2, 5, 12, 1], widths: [232, 696, 1392, 3712], groupWidth: 232 },
};

const seVariant = (widthIn: number): SeVariant => ({
  fc: 'conv1x1',
  activation: 'relu',
  gate: 'sigmoid',
  hidden: { rule: 'of', channels: widthIn, round: 'nearest' },
  naming: 'torchvision',
});

function resBottleneck(prefix: string, win: number, wout: number, stride: number, groupWidth: number, options: NetOptions): Node[] {
  const f = `${prefix}f.`;
  const body: Node[] = [
    ...convBnAct(`${f}a.`, CNA, { cout: wout, k: 1 }, 'relu'),
    ...convBnAct(`${f}b.`, CNA, { cout: wout, k: 3, stride, groups: wout / Math.min(groupWidth, wout) }, 'relu'),
    ...(options.se ? [{ kind: 'se' as const, prefix: `${f}se.`, se: { reduction: options.reduction, bias: true, variant: seVariant(win) } }] : []),
    ...convBnAct(`${f}c.`, CNA, { cout: wout, k: 1 }, null),
  ];
  const shortcut = win !== wout || stride !== 1 ? convBnAct(`${prefix}proj.`, CNA, { cout: wout, k: 1, stride }, null) : [];
  return [
    { kind: 'residual', name: `${prefix}add`, body, shortcut },
    { kind: 'act', name: `${prefix}activation`, act: 'relu' },
  ];
}

export function regnetY(size: string, options: NetOptions): Node[] {
  const stages = REGNET_Y[size];
  if (stages === undefined) throw new Error(`no RegNetY ${size}`);
  const nodes: Node[] = [...convBnAct('stem.', CNA, { cout: 32, k: 3, stride: 2 }, 'relu')];
  let width = 32;
  stages.depths.forEach((depth, s) => {
    const wout = stages.widths[s] ?? 0;
    for (let i = 0; i < depth; i++) {
      nodes.push(...resBottleneck(`trunk_output.block${s + 1}.block${s + 1}-${i}.`, width, wout, i === 0 ? 2 : 1, stages.groupWidth, options));
      width = wout;
    }
  });
  nodes.push({ kind: 'gap', name: 'avgpool' }, { kind: 'linear', name: 'fc', out: 1000, bias: true });
  return nodes;
}
