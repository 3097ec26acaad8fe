// What to profile. Every check of user input happens here, before any work starts.
import { UsageError } from './errors';

export interface InputShape {
  channels: number;
  height: number;
  width: number;
}

export interface SeSpec {
  block: 'se';
  input: InputShape;
  batch: number;
  reduction: number;
  /** FC layers with biases, as in the SENet paper's reference models. */
  bias: boolean;
}

export type Spec = SeSpec;

/** Raw option values as the CLI received them (strings, or absent). */
export interface RawSpecOptions {
  channels?: string | undefined;
  reduction?: string | undefined;
  height?: string | undefined;
  width?: string | undefined;
  batch?: string | undefined;
  bias?: boolean | undefined;
}

export const DEFAULTS = { reduction: 16, height: 7, width: 7, batch: 1 } as const;

/** Parses a whole number >= 1 given as `--name value`. */
export function positiveInt(name: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  const text = value.trim();
  if (text.startsWith('--')) throw new UsageError(`--${name} needs a value, got the option '${value}'`);
  if (!/^[+-]?\d+(\.\d*)?$|^[+-]?\.\d+$/.test(text)) {
    throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  }
  const n = Number(text);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  if (n < 1) throw new UsageError(`--${name} must be at least 1, got '${value}'`);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} is too large: '${value}'`);
  return n;
}

function optionalPositiveInt(name: string, value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : positiveInt(name, value);
}

/** The SE bottleneck width, floor(C / r). */
export function hiddenWidth(channels: number, reduction: number): number {
  return Math.floor(channels / reduction);
}

export function buildSeSpec(raw: RawSpecOptions): SeSpec {
  if (raw.channels === undefined) {
    throw new UsageError('--channels is required: the number of input channels, e.g. --channels 512');
  }
  const channels = positiveInt('channels', raw.channels);
  const reduction = optionalPositiveInt('reduction', raw.reduction, DEFAULTS.reduction);
  if (reduction > channels) {
    throw new UsageError(
      `--reduction ${reduction} is larger than --channels ${channels}: the SE hidden width floor(C / r) would be 0`,
    );
  }
  return {
    block: 'se',
    input: {
      channels,
      height: optionalPositiveInt('height', raw.height, DEFAULTS.height),
      width: optionalPositiveInt('width', raw.width, DEFAULTS.width),
    },
    batch: optionalPositiveInt('batch', raw.batch, DEFAULTS.batch),
    reduction,
    bias: raw.bias ?? false,
  };
}

export function describeSpec(spec: Spec): string {
  const { channels, height, width } = spec.input;
  const bias = spec.bias ? ', bias' : '';
  return `SEAttention(${channels}, r=${spec.reduction}${bias}) on ${spec.batch}x${channels}x${height}x${width}`;
}
