// One profiled pass, for built-in networks (a unit is a layer) and model files (a graph module):
// the kernels recorded while a unit ran are its own (thop's forward hooks, in tfjs), read back
// into ops with what only the unit knows.
import * as tf from '@tensorflow/tfjs-core';
import type { Op } from '../ops';
import type { KernelRecord, LayerFacts } from '../../model/kinds/kernel-reading';
import { opsFromKernels } from './kernels';
import type { OnProgress } from './progress';

/** Kernels recorded so far by the active tf.profile. */
function kernelsRecorded(): number {
  return tf.engine().state.activeProfile.kernels.length;
}

/** What a profiled pass recorded: every kernel, and which of them ran inside each unit. */
export interface RecordedPass<U> {
  kernels: KernelRecord[];
  spans: { unit: U; from: number; to: number }[];
}

/** Runs one unit inside a recorded pass, returning what the unit's run returns. */
export type Around<U> = <T>(unit: U, run: () => T) => T;

/** Who hears of a pass's progress: after each of its `total` units, as 'layers measured'. */
export interface PassProgress {
  total: number;
  onProgress?: OnProgress | undefined;
}

/**
 * Runs `pass` under one tf.profile; `pass` wraps each unit's run in `around`. One profile for
 * the whole pass keeps the profiler's cost near a plain forward's; reading the kernels waits
 * until it is over.
 */
export async function recordPass<U>(pass: (around: Around<U>) => Promise<void> | void, { total, onProgress }: PassProgress): Promise<RecordedPass<U>> {
  const spans: RecordedPass<U>['spans'] = [];
  const around = <T>(unit: U, run: () => T): T => {
    const from = kernelsRecorded();
    const outputs = run();
    spans.push({ unit, from, to: kernelsRecorded() });
    onProgress?.(spans.length, total, 'layers measured');
    return outputs;
  };
  const { kernels } = await tf.profile(async () => {
    await pass(around);
    return [];
  });
  return { kernels, spans };
}

/** What a reader knows of each unit of a pass. */
export interface UnitReader<U> {
  facts: (unit: U) => LayerFacts;
  /** Names the unit in an unrecognised kernel's reason. */
  label: (unit: U) => string;
  /** Kernels inside a unit that move data around and are not read as ops. */
  layout?: ((kernel: KernelRecord) => boolean) | undefined;
}

export interface ReadPass {
  ops: Op[];
  unrecognised: string[];
  /** Kernels recorded between units, in no unit's span. */
  between: KernelRecord[];
}

/** The ops of a recorded pass, each unit's from its own kernels and facts. */
export function readPass<U>({ kernels, spans }: RecordedPass<U>, { facts, label, layout = () => false }: UnitReader<U>): ReadPass {
  const ops: Op[] = [];
  const unrecognised: string[] = [];
  const inSpan = new Set<number>();
  for (const { unit, from, to } of spans) {
    for (let i = from; i < to; i++) inSpan.add(i);
    const read = opsFromKernels(
      kernels.slice(from, to).filter((k) => !layout(k)),
      facts(unit),
    );
    ops.push(...read.ops);
    unrecognised.push(...read.unrecognised.map((k) => `${label(unit)}: ${k}`));
  }
  return { ops, unrecognised, between: kernels.filter((_, i) => !inSpan.has(i)) };
}
