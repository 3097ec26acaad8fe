// ResNeXt as torchvision defines it (models/resnet.py): bottlenecks with a grouped 3x3.
import { convBnAct, type Node } from '../layer-vocabulary';

/** Bottleneck widths of the four stages, shared with Cadene's SENets. */
export const PLANES = [64, 128, 256, 512];
/** conv, BN and ReLU of a bottleneck, numbered: `conv1`, `bn1`, `relu1`. */
export const CONV_BN_RELU = (i: number) => [`conv${i}`, `bn${i}`, `relu${i}`] as const;

/** torchvision's Bottleneck with groups: width = int(planes * width_per_group / 64) * groups, stride on the 3x3. */
function torchvisionBottleneck(prefix: string, cin: number, planes: number, stride: number, groups: number, widthPerGroup: number): Node[] {
  const width = Math.floor((planes * widthPerGroup) / 64) * groups;
  const body = [
    ...convBnAct(prefix, CONV_BN_RELU(1), { cout: width, k: 1 }, 'relu'),
    ...convBnAct(prefix, CONV_BN_RELU(2), { cout: width, k: 3, stride, groups }, 'relu'),
    ...convBnAct(prefix, CONV_BN_RELU(3), { cout: 4 * planes, k: 1 }, null),
  ];
  const shortcut = stride !== 1 || cin !== 4 * planes ? convBnAct(`${prefix}downsample.`, ['0', '1', ''], { cout: 4 * planes, k: 1, stride }, null) : [];
  // One nn.ReLU module runs three times; its runs are named relu1, relu2 and relu3.
  return [
    { kind: 'residual', name: `${prefix}add`, body, shortcut },
    { kind: 'act', name: `${prefix}relu3`, act: 'relu' },
  ];
}

export const RESNEXT = {
  resnext50_32x4d: { depths: [3, 4, 6, 3], groups: 32, widthPerGroup: 4 },
  resnext101_32x8d: { depths: [3, 4, 23, 3], groups: 32, widthPerGroup: 8 },
  resnext101_64x4d: { depths: [3, 4, 23, 3], groups: 64, widthPerGroup: 4 },
} as const;

export function resnext(name: keyof typeof RESNEXT): Node[] {
  const { depths, groups, widthPerGroup } = RESNEXT[name];
  const nodes: Node[] = [
    ...convBnAct('', ['conv1', 'bn1', 'relu'], { cout: 64, k: 7, stride: 2 }, 'relu'),
    { kind: 'pool', name: 'maxpool', pool: 'max', k: 3, stride: 2, padding: 'same' },
  ];
  let cin = 64;
  depths.forEach((depth, s) => {
    const planes = PLANES[s] ?? 0;
    for (let i = 0; i < depth; i++) {
      nodes.push(...torchvisionBottleneck(`layer${s + 1}.${i}.`, cin, planes, i === 0 && s > 0 ? 2 : 1, groups, widthPerGroup));
      cin = 4 * planes;
    }
  });
  nodes.push({ kind: 'gap', name: 'avgpool' }, { kind: 'linear', name: 'fc', out: 1000, bias: true });
  return nodes;
}
