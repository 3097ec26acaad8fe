// A small layer vocabulary for networks written as sequences of PyTorch modules (MobileNetV3,
// EfficientNet, RegNet, ResNeXt, Cadene's SENets): the analytic path and the tfjs builder
// both walk it, so each architecture is written once.
import type { SeSettings } from './blocks';

export const ACTIVATIONS = ['relu', 'relu6', 'sigmoid', 'silu', 'hardswish', 'hardsigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** How a window pads: PyTorch's (k - 1) / 2 ('same'), none ('valid'), or none with ceil_mode. */
export type Padding = 'same' | 'valid' | 'ceil';

export type Node =
  /** Conv2d with padding (k - 1) / 2; `groups` splits input and output channels alike. */
  | { kind: 'conv'; name: string; cout: number; k: number; stride: number; groups: number; bias: boolean }
  | { kind: 'bn'; name: string }
  | { kind: 'act'; name: string; act: Activation }
  | { kind: 'pool'; name: string; pool: 'max' | 'avg'; k: number; stride: number; padding: Padding }
  /** AdaptiveAvgPool2d(1). */
  | { kind: 'gap'; name: string }
  /** Flattens [B, C, 1, 1] (a view), then Linear. */
  | { kind: 'linear'; name: string; out: number; bias: boolean }
  /** SE on the current map; `prefix` ends with a dot. */
  | { kind: 'se'; prefix: string; se: SeSettings }
  /** body(x) + shortcut(x), the sum named `name`; an empty shortcut is the identity. */
  | { kind: 'residual'; name: string; body: Node[]; shortcut: Node[] };

/** conv -> BN -> activation (or none), named `${prefix}${names[i]}`. */
export function convBnAct(
  prefix: string,
  names: readonly [string, string, string],
  conv: { cout: number; k: number; stride?: number; groups?: number },
  act: Activation | null,
): Node[] {
  const [c, b, a] = names;
  return [
    { kind: 'conv', name: `${prefix}${c}`, cout: conv.cout, k: conv.k, stride: conv.stride ?? 1, groups: conv.groups ?? 1, bias: false },
    { kind: 'bn', name: `${prefix}${b}` },
    ...(act === null ? [] : [{ kind: 'act' as const, name: `${prefix}${a}`, act }]),
  ];
}

/** torchvision's Conv2dNormActivation children: `${prefix}0`, `${prefix}1`, `${prefix}2`. */
export const TORCHVISION_CNA = ['0', '1', '2'] as const;
