// The SE blocks the field runs, beside the SENet paper's: FC layers as Linear or 1x1 Conv,
// the hidden width by other rules, other inner activations and gates.
import { UsageError } from '../errors';
import { wholeNumber } from '../parse';

export const SE_FCS = ['linear', 'conv1x1'] as const;
export const SE_ACTIVATIONS = ['relu', 'silu', 'hardswish'] as const;
export const SE_GATES = ['sigmoid', 'hardsigmoid'] as const;

/** How the hidden width m follows from the channels C SE sees and the reduction r. */
export type HiddenRule =
  /** floor(C / r): the SENet paper, Cadene's SEModule. */
  | { rule: 'floor' }
  /** torchvision's _make_divisible(C // r, d): MobileNetV3 (d = 8). */
  | { rule: 'divisible'; divisor: number }
  /** From another channel count n: max(1, n // r) (EfficientNet) or round(n / r), ties to even (RegNetY's int(round(0.25 * n))). */
  | { rule: 'of'; channels: number; round: 'floor' | 'nearest' }
  /** An explicit width. */
  | { rule: 'width'; width: number };

/** Module names inside SE: seprof's own, torchvision's SqueezeExcitation, Cadene's SEModule, timm's port of it. */
export type SeNaming = 'seprof' | 'torchvision' | 'cadene' | 'timm';

export interface SeVariant {
  fc: (typeof SE_FCS)[number];
  activation: (typeof SE_ACTIVATIONS)[number];
  gate: (typeof SE_GATES)[number];
  hidden: HiddenRule;
  naming: SeNaming;
  /**
   * How it squeezes: AdaptiveAvgPool2d(1), a module (the default), or `x.mean((2, 3),
   * keepdim=True)`, a tensor method (timm), which the peers count differently (reduce_mean).
   */
  squeeze?: 'mean';
}

/** The SENet paper's SE: Linear FCs, ReLU, sigmoid, floor(C / r). */
export const PAPER_SE: SeVariant = { fc: 'linear', activation: 'relu', gate: 'sigmoid', hidden: { rule: 'floor' }, naming: 'seprof' };

/**
 * torchvision's _make_divisible (from TensorFlow's MobileNet): v to the nearest multiple of
 * the divisor, at least the divisor, never more than 10% below v. Floats as in Python.
 */
export function makeDivisible(v: number, divisor: number): number {
  let rounded = Math.max(divisor, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

/** Python's round(n / d) for whole n and d: to the nearest integer, ties to even. */
export function roundHalfEven(n: number, d: number): number {
  const q = Math.floor(n / d);
  const twice = 2 * (n - q * d);
  if (twice < d) return q;
  if (twice > d) return q + 1;
  return q % 2 === 0 ? q : q + 1;
}

/** The hidden width for C channels at reduction r; 0 means the rule gives no width at all. */
export function seHidden(channels: number, reduction: number, hidden: HiddenRule): number {
  switch (hidden.rule) {
    case 'floor':
      return Math.floor(channels / reduction);
    case 'divisible':
      return makeDivisible(Math.floor(channels / reduction), hidden.divisor);
    case 'of':
      return hidden.round === 'floor' ? Math.max(1, Math.floor(hidden.channels / reduction)) : roundHalfEven(hidden.channels, reduction);
    case 'width':
      return hidden.width;
  }
}

function describeHidden(hidden: HiddenRule, reduction: number): string {
  switch (hidden.rule) {
    case 'floor':
      return `floor(C/${reduction})`;
    case 'divisible':
      return `_make_divisible(C//${reduction}, ${hidden.divisor})`;
    case 'of':
      return hidden.round === 'floor' ? `max(1, ${hidden.channels}//${reduction})` : `round(${hidden.channels}/${reduction})`;
    case 'width':
      return String(hidden.width);
  }
}

/** The variant in words, for title lines: empty for the paper's SE. */
export function describeVariant(variant: SeVariant, reduction: number, bias: boolean): string {
  if (variant.fc === 'linear' && variant.activation === 'relu' && variant.gate === 'sigmoid' && variant.hidden.rule === 'floor') return '';
  const fc = `${variant.fc}${bias ? '+bias' : ''}`;
  const rule = variant.hidden.rule === 'floor' || variant.hidden.rule === 'width' ? '' : `, m = ${describeHidden(variant.hidden, reduction)}`;
  return `${fc}, ${variant.activation}, ${variant.gate}${rule}`;
}

/** Names of SE's six ops, after the module names of the code it mirrors. */
export function seOpNames(variant: SeVariant): { squeeze: string; fc1: string; act: string; fc2: string; gate: string; scale: string } {
  switch (variant.naming) {
    case 'torchvision':
      return { squeeze: 'avgpool', fc1: 'fc1', act: 'activation', fc2: 'fc2', gate: 'scale_activation', scale: 'scale' };
    case 'cadene':
      return { squeeze: 'avg_pool', fc1: 'fc1', act: 'relu', fc2: 'fc2', gate: 'sigmoid', scale: 'scale' };
    case 'timm':
      return { squeeze: 'mean', fc1: 'fc1', act: 'relu', fc2: 'fc2', gate: 'sigmoid', scale: 'scale' };
    case 'seprof':
      return { squeeze: 'squeeze', fc1: 'fc1', act: variant.activation, fc2: 'fc2', gate: variant.gate, scale: 'scale' };
  }
}

/**
 * `--se-hidden`: floor (default), divisible:D, of:N (max(1, N // r)), round-of:N
 * (round(N / r), ties to even) or a width M.
 */
export function parseHiddenRule(value: string): HiddenRule {
  const text = value.trim();
  const [name = '', argument] = text.split(':');
  if (name === 'floor' && argument === undefined) return { rule: 'floor' };
  if (name === 'divisible') return { rule: 'divisible', divisor: wholeNumber('se-hidden', argument ?? '8') };
  if ((name === 'of' || name === 'round-of') && argument !== undefined) {
    return { rule: 'of', channels: wholeNumber('se-hidden', argument), round: name === 'of' ? 'floor' : 'nearest' };
  }
  if (/^\d+$/.test(text)) return { rule: 'width', width: wholeNumber('se-hidden', text) };
  throw new UsageError(`--se-hidden takes floor, divisible:D, of:N, round-of:N or a width; got '${value}'`);
}
