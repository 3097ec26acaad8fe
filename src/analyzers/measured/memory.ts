// What a backend can hold, and a run that runs out of it: skipped, not failed.
import * as tf from '@tensorflow/tfjs-core';
import { formatBytes } from '../../parse';
import type { BackendName } from './backend-choice';

/**
 * The heap a measured run may plan for, per backend that has a hard limit of its own. wasm32
 * addresses 4 GiB and tfjs-backend-wasm grows its heap up to about that (4,064 MiB here);
 * allocator fragmentation takes some of it.
 */
const HEAP_LIMIT_BYTES: Partial<Record<BackendName, bigint>> = { wasm: 3584n * 2n ** 20n };

/** A measured run that cannot be done for memory: the analytic result stands. */
export class MeasurementSkipped extends Error {}

/** Refuses, before anything is allocated, a run the backend's heap cannot hold. */
export function assertFits(backend: BackendName, peakBytes: bigint | undefined): void {
  const limit = HEAP_LIMIT_BYTES[backend];
  if (peakBytes === undefined || limit === undefined || peakBytes <= limit) return;
  throw new MeasurementSkipped(`it needs about ${formatBytes(peakBytes)}, more than the ${backend} backend can hold (${formatBytes(limit)})`);
}

/** Errors that say the backend or the process ran out of memory, not that the model is wrong. */
const MEMORY_FAULT =
  /memory access out of bounds|^Aborted\(|Array buffer allocation failed|Maximum memory size exceeded|Cannot allocate Wasm memory|out of memory/i;

function isMemoryFault(error: unknown): error is Error {
  return error instanceof Error && MEMORY_FAULT.test(error.message);
}

/**
 * After a memory fault the backend's heap is corrupt: drop every backend instance without
 * calling into the broken one, so that the next run (a sweep's next case) starts afresh.
 */
function dropBackends(): void {
  const broken = tf.engine().backend as unknown as { dispose(): void; disposeData(): boolean };
  broken.dispose = () => {};
  broken.disposeData = () => true;
  tf.engine().reset();
}

/** Runs a measurement; a memory fault ends it as skipped, with the reason. */
export async function skipOnMemoryFault<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isMemoryFault(error)) throw error;
    const backend = tf.getBackend();
    dropBackends();
    throw new MeasurementSkipped(`the ${backend} backend ran out of memory (${error.message})`);
  }
}
