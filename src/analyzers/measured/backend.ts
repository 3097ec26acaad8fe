// Loads tfjs and picks the backend that measures: tfjs-node where it loads, else wasm, else cpu.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { UsageError } from '../../errors';
import type { BackendChoice, BackendInfo, BackendName } from './backend-choice';
import { registerWasmGradients } from './wasm-gradients';

registerWasmGradients(); // the gradient kernels wasm lacks or runs slowly, so --training runs there

async function tensorflowBackendLoads(): Promise<boolean> {
  try {
    // Optional dependency: it downloads libtensorflow at install time, so it is often absent.
    // A variable specifier keeps the compiler from requiring its types.
    const optional = '@tensorflow/tfjs-node';
    await import(optional);
    return tf.findBackend('tensorflow') !== null;
  } catch {
    return false;
  }
}

/**
 * Under tf.profile the engine runs each kernel inside its backend's time(). wasm's is async:
 * a kernel's error (a heap that cannot grow) becomes a rejected promise, the engine fails on
 * the outputs it never got ("Cannot read properties of undefined") and the real error ends the
 * process unhandled. The same timer, synchronous, lets the error reach skipOnMemoryFault.
 */
function throwKernelErrors(backend: tf.KernelBackend): void {
  backend.time = (f) => {
    const start = tf.util.now();
    f();
    return Promise.resolve({ kernelMs: tf.util.now() - start });
  };
}

/**
 * tfjs prints banners while a backend loads (the cpu backend's "install our node backend" on
 * its first tensor) through its own log, which its PROD flag silences: set for the load only,
 * so the global console is never touched and a library user's own console.log works while
 * seprof measures.
 */
async function quietly<T>(load: () => Promise<T>): Promise<T> {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    return await load();
  } finally {
    env.set('PROD', prod);
  }
}

async function activate(name: BackendName): Promise<boolean> {
  if (name === 'tensorflow' && !(await tensorflowBackendLoads())) return false;
  // Loaded on use: wasm measures almost every run, and the cpu backend costs 20 ms to load.
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  try {
    if (!(await tf.setBackend(name)) || tf.getBackend() !== name) return false;
    if (name === 'wasm') throwKernelErrors(tf.backend());
    tf.tensor([0]).dispose(); // the backend's first tensor, and its banner, while tfjs is quiet
    return true;
  } catch {
    return false;
  }
}

export async function useBackend(choice: BackendChoice): Promise<BackendInfo> {
  const candidates: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  for (const name of candidates) {
    if (await quietly(() => activate(name))) return { name, tfjsVersion: tf.version_core };
  }
  const hint = choice === 'tensorflow' ? ': @tensorflow/tfjs-node is not installed or libtensorflow is missing' : '';
  throw new UsageError(`backend '${choice}' cannot load${hint}`);
}
